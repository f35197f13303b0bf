// The exit codes are shared with `evidence-ledger-verify`, so scripts read both the same way.
export { EXIT, ExitCode } from '@evidence-ledger/verify';
