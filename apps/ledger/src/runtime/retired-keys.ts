import { promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** A signing key replaced by `signing-key rotate`: still valid for the checkpoints it signed. */
export interface RetiredKey {
  readonly keyId: string;
  readonly verifierKey: string;
  readonly publicKeyPem: string;
}

// Finds `<key-file>.retired-<keyId>.vkey/.pub` beside the current key (written by the CLI's
// rotation), so `/v1/public-keys` can list every key that ever signed a checkpoint.
export async function readRetiredKeys(keyFile: string): Promise<RetiredKey[]> {
  const dir = dirname(keyFile);
  const prefix = `${basename(keyFile)}.retired-`;
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  const keys: RetiredKey[] = [];
  for (const name of names.filter((n) => n.startsWith(prefix) && n.endsWith('.vkey')).sort()) {
    const base = join(dir, name.slice(0, -'.vkey'.length));
    const verifierKey = (await fs.readFile(`${base}.vkey`, 'utf8')).trim();
    const publicKeyPem = await fs.readFile(`${base}.pub`, 'utf8').catch(() => '');
    keys.push({ keyId: name.slice(prefix.length, -'.vkey'.length), verifierKey, publicKeyPem });
  }
  return keys;
}
