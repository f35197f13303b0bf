import { Option } from 'commander';

/** Where the service is when neither --url nor LEDGER_URL says. */
export const DEFAULT_LEDGER_URL = 'http://localhost:3000';

// The one place the CLI reads LEDGER_URL: `--url`, falling back to the variable, then to
// DEFAULT_LEDGER_URL unless the command has its own meaning for "no URL" (`'none'`: demo
// starts a service). A sentinel, not `undefined`, which would select the default parameter.
export function ledgerUrlOption(description = 'the ledger service', fallback: string | 'none' = DEFAULT_LEDGER_URL): Option {
  const option = new Option('--url <url>', description).env('LEDGER_URL');
  return fallback === 'none' ? option : option.default(fallback);
}

// The one place the CLI reads LEDGER_API_KEY: `--api-key`, falling back to the variable;
// mandatory unless the command checks for it itself (to word the refusal its own way).
export function apiKeyOption(description: string, mandatory = true): Option {
  const option = new Option('--api-key <key>', description).env('LEDGER_API_KEY');
  return mandatory ? option.makeOptionMandatory() : option;
}
