import { LedgerError } from '../errors/ledger-error';
import { NoteError } from '../errors/note-error';
import { ed25519KeyMatcher } from './ed25519-note-key';
import { ed25519KeyHash, formatKeyHash, noteKeyHash } from './key-hash';
import { isValidKeyName } from './key-name';
import { GO_VECTORS, generateTestKey } from './testing/note-test-keys';
import { formatVerifierKey, parseVerifierKey } from './verifier-key';

const rawKeyOf = (vkey: string) => Buffer.from(vkey.split('+')[2], 'base64').subarray(1);

function expectKeyMalformed(vkey: string, message?: RegExp): void {
  let thrown: unknown;
  try {
    parseVerifierKey(vkey);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(NoteError);
  expect((thrown as NoteError).code).toBe('KEY_MALFORMED');
  if (message) expect((thrown as NoteError).message).toMatch(message);
}

describe('verifier keys (golang.org/x/mod/sumdb/note vkey form)', () => {
  it('parses the published PeterNeumann key with its name and key ID', () => {
    const verifier = parseVerifierKey(GO_VECTORS.peterVerifierKey);
    expect(verifier.name).toBe('PeterNeumann');
    expect(verifier.keyHash).toBe(0xc74f20a3);
  });

  it('formats the published keys byte for byte from name and raw public key', () => {
    for (const vkey of [GO_VECTORS.peterVerifierKey, GO_VECTORS.enochVerifierKey]) {
      expect(formatVerifierKey(vkey.split('+')[0], rawKeyOf(vkey))).toBe(vkey);
    }
  });

  it('computes the key ID as SHA-256(name ‖ 0x0A ‖ 0x01 ‖ key)[:4]', () => {
    expect(formatKeyHash(ed25519KeyHash('EnochRoot', rawKeyOf(GO_VECTORS.enochVerifierKey)))).toBe('af0cfe78');
  });

  it('round-trips a freshly generated key', () => {
    const key = generateTestKey('ledger.example.com/log');
    const vkey = formatVerifierKey('ledger.example.com/log', key.publicKey);
    expect(parseVerifierKey(vkey)).toMatchObject({ name: key.verifier.name, keyHash: key.verifier.keyHash });
  });

  it('rejects every proper substring of a valid key', () => {
    const vkey = GO_VECTORS.peterVerifierKey;
    for (let i = 0; i <= vkey.length; i++) {
      for (let j = i + 1; j <= vkey.length; j++) {
        if (i !== 0 || j !== vkey.length) expectKeyMalformed(vkey.slice(i, j));
      }
    }
  });

  it('rejects a key with any single character changed', () => {
    const vkey = GO_VECTORS.peterVerifierKey;
    for (let i = 0; i < vkey.length; i++) {
      const mangled = vkey.slice(0, i) + String.fromCharCode(vkey.charCodeAt(i) + 1) + vkey.slice(i + 1);
      expectKeyMalformed(mangled);
    }
  });

  it('rejects a key of the wrong length even when its key ID was adjusted to match', () => {
    expectKeyMalformed('PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==');
    const longKey = Buffer.concat([Buffer.from([0x01]), rawKeyOf(GO_VECTORS.peterVerifierKey), Buffer.from([0])]);
    const keyHash = formatKeyHash(noteKeyHash('PeterNeumann', longKey));
    expectKeyMalformed(`PeterNeumann+${keyHash}+${longKey.toString('base64')}`, /33 bytes, expected 32/);
  });

  it('rejects a key of an unknown algorithm with a message naming the algorithm', () => {
    expectKeyMalformed('PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW', /type 0x65.*Ed25519/);
  });

  it('refuses to format a key for an invalid name or a key of the wrong size', () => {
    const key = generateTestKey('x').publicKey;
    for (const name of ['', 'has space', 'a+b', 'tab\tname', 'nbsp\u00a0name', 'lone\ud800']) {
      expect(() => formatVerifierKey(name, key)).toThrow(expect.objectContaining({ code: 'KEY_MALFORMED' }));
    }
    expect(() => formatVerifierKey('x', key.subarray(1))).toThrow(expect.objectContaining({ code: 'KEY_MALFORMED' }));
  });
});

describe('key names', () => {
  it('accepts schema-less URLs and non-ASCII names', () => {
    expect(isValidKeyName('example.com/behind-the-sofa')).toBe(true);
    expect(isValidKeyName('quasimodo.example/salvatore')).toBe(true);
    expect(isValidKeyName('ledger.example/ünïcödé')).toBe(true);
  });

  it('rejects empty names and names with Unicode spaces or plus signs', () => {
    for (const name of ['', ' ', 'a b', 'a+b', 'a\u2003b', 'a\u0085b', 'a\nb']) {
      expect(isValidKeyName(name)).toBe(false);
    }
  });
});

describe('name-agnostic public keys', () => {
  it('derive the verifier a key would be under any name', () => {
    const key = generateTestKey('log.example/a');
    const matcher = ed25519KeyMatcher(key.publicKey);
    expect(matcher.forName('log.example/a').keyHash).toBe(key.verifier.keyHash);
    expect(matcher.forName('log.example/b').keyHash).not.toBe(key.verifier.keyHash);
  });
});

describe('note errors', () => {
  it('are ledger errors with a stable code and a message naming the problem', () => {
    const error = (() => {
      try {
        parseVerifierKey('not a key');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(LedgerError);
    expect(error).toMatchObject({
      name: 'NoteError',
      code: 'KEY_MALFORMED',
      message: expect.stringContaining('not a key'),
    });
  });
});
