import { Command } from 'commander';
import { apiKeyOption, DEFAULT_LEDGER_URL, ledgerUrlOption } from './ledger-target-options';

function parse(args: string[], env: Record<string, string | undefined>, mandatory = true, fallback?: 'none'): Record<string, unknown> {
  const saved = { url: process.env.LEDGER_URL, key: process.env.LEDGER_API_KEY };
  process.env.LEDGER_URL = env.LEDGER_URL;
  process.env.LEDGER_API_KEY = env.LEDGER_API_KEY;
  for (const name of ['LEDGER_URL', 'LEDGER_API_KEY']) if (env[name] === undefined) delete process.env[name];
  try {
    const command = new Command()
      .exitOverride()
      .configureOutput({ writeErr: () => undefined })
      .addOption(fallback ? ledgerUrlOption('the ledger', fallback) : ledgerUrlOption())
      .addOption(apiKeyOption('a key', mandatory));
    return command.parse(args, { from: 'user' }).opts();
  } finally {
    for (const [name, value] of [
      ['LEDGER_URL', saved.url],
      ['LEDGER_API_KEY', saved.key],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

describe('--url and --api-key', () => {
  it('take the flag first, then LEDGER_URL / LEDGER_API_KEY, then the default URL', () => {
    expect(parse(['--url', 'http://a:1', '--api-key', 'k1'], { LEDGER_URL: 'http://b:2', LEDGER_API_KEY: 'k2' })).toEqual({
      url: 'http://a:1',
      apiKey: 'k1',
    });
    expect(parse([], { LEDGER_URL: 'http://b:2', LEDGER_API_KEY: 'k2' })).toEqual({ url: 'http://b:2', apiKey: 'k2' });
    expect(parse([], { LEDGER_API_KEY: 'k2' })).toEqual({ url: DEFAULT_LEDGER_URL, apiKey: 'k2' });
  });

  it('requires a key unless the command checks for it itself', () => {
    expect(() => parse([], {})).toThrow(/--api-key <key>' not specified/);
    expect(parse([], {}, false)).toEqual({ url: DEFAULT_LEDGER_URL });
  });

  it('has no URL when the command gives "no URL" a meaning of its own (demo starts a service)', () => {
    expect(parse([], {}, false, 'none')).toEqual({});
    expect(parse([], { LEDGER_URL: 'http://b:2' }, false, 'none')).toEqual({ url: 'http://b:2' });
  });
});
