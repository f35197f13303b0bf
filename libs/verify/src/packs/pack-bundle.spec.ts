import { generateKeyPairSync } from 'node:crypto';
import { formatVerifierKey } from '@evidence-ledger/core';
import { rawPublicKeys } from './pack-bundle';

function rawKey(): Uint8Array {
  const der = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' });
  return new Uint8Array(der.subarray(der.length - 32));
}

describe('the public keys a pack is checked against', () => {
  it("reads a verifier key line whose base64 key holds a '+', as the signing key files do", () => {
    // About half of all keys encode with a '+'; draw until one does.
    let raw = rawKey();
    while (!formatVerifierKey('evidence-ledger.local', raw).split('+').slice(2).join('+').includes('+')) raw = rawKey();
    const vkey = formatVerifierKey('evidence-ledger.local', raw);
    expect(rawPublicKeys(`${vkey}\n`)).toEqual([raw]);
  });

  it('reads PEM blocks and verifier key lines side by side, and skips what is neither', () => {
    const [a, b] = [rawKey(), rawKey()];
    const pem = generateKeyPairSync('ed25519').publicKey;
    const pemRaw = new Uint8Array((pem.export({ type: 'spki', format: 'der' }) as Buffer).subarray(12));
    const text = `${pem.export({ type: 'spki', format: 'pem' })}${formatVerifierKey('a', a)}\n# comment\n${formatVerifierKey('b', b)}\nnot+a+key!\n`;
    expect(rawPublicKeys(text)).toEqual([pemRaw, a, b]);
  });
});
