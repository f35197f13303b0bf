import { LedgerError } from '@evidence-ledger/core';
import { SigningError } from '@evidence-ledger/signing';
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

// Typed errors (CLI, ledger/store/note, signing) are the user's to fix: one line on stderr,
// never a stack trace. Anything else is a bug in the CLI, reported with its stack.
export function reportError(error: unknown, io: CommandIo): ExitCode {
  if (isUserError(error)) {
    io.err(`evidence-ledger: ${describe(error)}\n`);
    return EXIT.USAGE;
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  io.err(`evidence-ledger: unexpected error (a bug; please report it): ${detail}\n`);
  return EXIT.USAGE;
}

function isUserError(error: unknown): error is Error {
  return error instanceof CliError || error instanceof LedgerError || error instanceof SigningError;
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
