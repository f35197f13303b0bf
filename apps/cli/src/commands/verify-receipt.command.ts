import { Command } from 'commander';
import { VerifyReceiptOptions, verifyReceiptFile } from '@evidence-ledger/verify';
import { CliContext } from '../command-io';

export function registerVerifyReceipt(program: Command, { io, action }: CliContext): void {
  program
    .command('verify-receipt')
    .summary('verify a receipt offline: its signed checkpoint, its inclusion proof and, given the event, its leaf hash')
    .description(
      'Verify the receipt(s) a POST /v1/events returned, with only the public key: the checkpoint is signed by the key, and the inclusion proof leads from the leaf hash to its root (RFC 9162). ' +
        'With --event (the JSON you posted) and --api-key (the producer key it was posted with), the entry bytes are rebuilt from the event, the tenant, sequence, recordedAt and the key id, and must hash to the leaf hash: the receipt is then proven to be for your event. Exit 1 names every receipt that does not hold.',
    )
    .argument('<receipt>', 'the receipt JSON (one receipt, or the array a batch returned)')
    .requiredOption('--public-key <file>', "the ledger's public key file (PEM and/or vkey lines)")
    .option('--event <file>', 'the event JSON you posted (one event, or the array of a batch, in the same order)')
    .option('--api-key <key>', 'with --event: the producer API key the event was posted with (its id is recorded in the entry)')
    .option('--json', 'print the result as JSON')
    .action(action((receipt: string, options: VerifyReceiptOptions) => verifyReceiptFile(receipt, options, io)));
}
