/**
 * The CLI's exit codes, stable for scripts and CI gates:
 * 0 everything verified (or the command did its job), 1 not verified: verification found a
 * problem, or there was nothing to verify (a replay with no step at or before its point proves
 * nothing), 2 the command could not run: bad usage, unreadable input, unreachable store.
 */
export const EXIT = {
  OK: 0,
  VERIFICATION_FAILED: 1,
  USAGE: 2,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
