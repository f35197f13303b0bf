import { LedgerError } from '@evidence-ledger/core';
import { CliError } from './cli-error';
import { CommandIo } from './command-io';
import { EXIT, ExitCode } from './exit-codes';

const SYSTEM_REASONS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory',
  ENOTDIR: 'a path component is not a directory',
  EEXIST: 'already exists',
  ENOSPC: 'no space left on device',
  EROFS: 'read-only file system',
};

/** How a command line names itself, and which further error classes are the user's to fix. */
export interface ErrorReporting {
  readonly program: string;
  readonly isUserError?: (error: unknown) => boolean;
}

// Typed errors (command input, ledger/note, and any the program adds) are the user's to fix:
// one line on stderr, never a stack trace. Anything else is a bug, reported with its stack.
export function reportError(error: unknown, io: CommandIo, reporting: ErrorReporting): ExitCode {
  if (isUserError(error) || (error instanceof Error && reporting.isUserError?.(error) === true)) {
    io.err(`${reporting.program}: ${describe(error as Error)}\n`);
    return EXIT.USAGE;
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  io.err(`${reporting.program}: unexpected error (a bug; please report it): ${detail}\n`);
  return EXIT.USAGE;
}

function isUserError(error: unknown): error is Error {
  return error instanceof CliError || error instanceof LedgerError;
}

// The message, plus the system reason when the error wraps a failed file operation
// (SigningError and CliError messages name the file but not why it failed).
function describe(error: Error): string {
  const cause = (error as { cause?: unknown }).cause as NodeJS.ErrnoException | undefined;
  const systemCode = typeof cause?.code === 'string' && typeof cause.syscall === 'string' ? cause.code : undefined;
  const message = error.message.replace(/\s+/g, ' ').trim();
  if (systemCode === undefined || error instanceof LedgerError) return message;
  return `${message}: ${SYSTEM_REASONS[systemCode] ?? cause?.message ?? systemCode}`;
}
