import { existsSync } from 'node:fs';
import { Option } from 'commander';
import { CliError } from './cli-error';

export const DEFAULT_ORIGIN_PREFIX = 'evidence-ledger.local';

/** The ledger's origin prefix: checkpoint origins are `<prefix>/<tenant>`, and it names the key in signatures. */
export function originPrefixOption(): Option {
  return new Option(
    '--origin-prefix <prefix>',
    'the ledger origin prefix: checkpoint origins are <prefix>/<tenant>, and it is the key name in signatures',
  )
    .env('LEDGER_ORIGIN')
    .default(DEFAULT_ORIGIN_PREFIX);
}

// LocalKeySigner.loadOrCreate would create a missing key; these commands only handle existing ones.
export function requireKeyFile(keyFile: string): void {
  if (!existsSync(keyFile)) throw new CliError('INPUT_UNAVAILABLE', `no signing key at ${keyFile}`);
}
