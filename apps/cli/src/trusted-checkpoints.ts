import { Option } from 'commander';

// Reading the files is the offline verifier's; the option's wording is shared by every command.
export { readTrustedCheckpoints } from '@evidence-ledger/verify';

/** `--trusted-checkpoint FILE`, repeatable: checkpoints the user saw before, which the log must extend. */
export function trustedCheckpointOption(): Option {
  return new Option(
    '--trusted-checkpoint <file>',
    'a checkpoint you saw before (signed note, a receipt, or GET /v1/checkpoint output); fail unless what is verified extends it — a log cut back or rewritten since fails (repeatable)',
  ).argParser((file: string, previous: string[] | undefined) => [...(previous ?? []), file]);
}
