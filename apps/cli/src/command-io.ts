import { Command } from 'commander';
import { CommandIo, ExitCode } from '@evidence-ledger/verify';

// Where a command writes is shared with `evidence-ledger-verify`.
export { CommandIo, processIo } from '@evidence-ledger/verify';

/** What each command module gets to register itself on the program. */
export interface CliContext {
  readonly io: CommandIo;
  /** Wraps a command's action so the exit code it returns becomes the program's. */
  action<A extends unknown[]>(run: (...args: A) => Promise<ExitCode>): (...args: A) => Promise<void>;
}

export type RegisterCommand = (program: Command, context: CliContext) => void;
