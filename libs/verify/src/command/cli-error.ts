/** Why a command could not run: wrong or missing arguments, or input it cannot read. */
export type CliErrorCode = 'USAGE' | 'INPUT_UNAVAILABLE' | 'INPUT_INVALID' | 'TENANT_UNKNOWN' | 'LOG_EMPTY';

// A user error the CLI reports in one line (exit 2); `cause` keeps the system error, if any.
export class CliError extends Error {
  constructor(
    readonly code: CliErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CliError';
  }
}
