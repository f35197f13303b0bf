import { Command } from 'commander';
import { CliContext } from '../command-io';
import { registerSigningKeyRotate } from './signing-key-rotate.command';
import { registerSigningKeyShow } from './signing-key-show.command';

export function registerSigningKey(program: Command, context: CliContext): void {
  const group = program
    .command('signing-key')
    .summary('show or rotate the checkpoint signing key')
    .description('Manage the Ed25519 key the ledger signs checkpoints with (c2sp.org/signed-note).');
  registerSigningKeyShow(group, context);
  registerSigningKeyRotate(group, context);
}
