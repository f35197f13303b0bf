import { createHash } from 'node:crypto';
import { chainHash, GENESIS_CHAIN_HASH } from './chain-hash';

describe('the hash chain', () => {
  it('starts from the documented genesis value', () => {
    expect(GENESIS_CHAIN_HASH.toString('hex')).toBe('35a97c7f2d867fb873cf5c842b5ed6ba2af28efb82ada13958bead30c97d61d1');
  });

  it('links each leaf to the chain hash before it, in that order', () => {
    const leaf = Buffer.alloc(32, 7);
    const expected = createHash('sha256').update(GENESIS_CHAIN_HASH).update(leaf).digest();
    expect(chainHash(GENESIS_CHAIN_HASH, leaf).equals(expected)).toBe(true);
    expect(chainHash(leaf, GENESIS_CHAIN_HASH).equals(expected)).toBe(false);
  });
});
