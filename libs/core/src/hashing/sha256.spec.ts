import { createHash, randomBytes } from 'node:crypto';
import { chainHash } from '../chain/chain-hash';
import { leafHash, nodeHash, sha256, sha256Once } from './sha256';

const reference = (...parts: Uint8Array[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};

describe('SHA-256 helpers', () => {
  it('hash exactly what a streaming SHA-256 does, across every input size the scratch buffer meets', () => {
    for (const size of [0, 1, 63, 64, 777, 4095, 4096, 9000, 65_535, 65_536, 300_000]) {
      const bytes = randomBytes(size);
      expect(leafHash(bytes)).toEqual(reference(Buffer.from([0]), bytes));
      expect(sha256Once(bytes)).toEqual(reference(bytes));
      expect(sha256(bytes.subarray(0, size >> 1), bytes.subarray(size >> 1))).toEqual(reference(bytes));
    }
  });

  it('give each call its own result, never a view of the shared scratch input', () => {
    const a = leafHash(Buffer.from('a'));
    const b = leafHash(Buffer.from('b'));
    expect(a).toEqual(reference(Buffer.from([0]), Buffer.from('a')));
    expect(a.equals(b)).toBe(false);
  });

  it('hash interior nodes and chain links of any input length', () => {
    const left = randomBytes(32);
    const right = randomBytes(32);
    expect(nodeHash(left, right)).toEqual(reference(Buffer.from([1]), left, right));
    expect(nodeHash(left, right.subarray(0, 31))).toEqual(reference(Buffer.from([1]), left, right.subarray(0, 31)));
    expect(chainHash(left, right)).toEqual(reference(left, right));
    expect(chainHash(left, Buffer.alloc(0))).toEqual(reference(left));
  });
});
