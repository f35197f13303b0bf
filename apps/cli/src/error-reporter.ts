import { SigningError } from '@evidence-ledger/signing';
import { CommandIo, ExitCode, reportError as reportCommandError } from '@evidence-ledger/verify';

// One line for the user's errors (signing-key errors among them), a stack for a bug: the same
// reporting as `evidence-ledger-verify`, under this program's name.
export function reportError(error: unknown, io: CommandIo): ExitCode {
  return reportCommandError(error, io, { program: 'evidence-ledger', isUserError: (e) => e instanceof SigningError });
}
