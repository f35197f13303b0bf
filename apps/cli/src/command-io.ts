import { Command } from 'commander';
import { ExitCode } from './exit-codes';

/** Where a command writes. Commands never touch `process` directly, so they can be driven in-process. */
export interface CommandIo {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: CommandIo = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
};

/** What each command module gets to register itself on the program. */
export interface CliContext {
  readonly io: CommandIo;
  /** Wraps a command's action so the exit code it returns becomes the program's. */
  action<A extends unknown[]>(run: (...args: A) => Promise<ExitCode>): (...args: A) => Promise<void>;
}

export type RegisterCommand = (program: Command, context: CliContext) => void;
