// The one-line user error both command lines report (exit 2) lives with the offline verifier.
export { CliError, CliErrorCode } from '@evidence-ledger/verify';
