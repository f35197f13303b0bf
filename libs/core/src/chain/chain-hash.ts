import { createHash } from 'node:crypto';
import { sha256Once } from '../hashing/sha256';

/**
 * The chain hash that precedes entry 0 of every log: SHA-256 of the ASCII string
 * `evidence-ledger/chain/v1/genesis`. Fixed for all tenants; the entry bytes themselves name
 * the tenant, so a chain cannot be spliced from one tenant's log into another's.
 *
 * hex: see `GENESIS_CHAIN_HASH.toString('hex')`, pinned in chain-hash.spec.ts.
 */
export const GENESIS_CHAIN_HASH: Buffer = createHash('sha256').update('evidence-ledger/chain/v1/genesis', 'ascii').digest();

// chainHash_n = SHA-256(chainHash_{n-1} || leafHash_n). Links each entry to everything
// before it, so a reader holding any one chain hash pins the whole prefix.
export function chainHash(previous: Uint8Array, leaf: Uint8Array): Buffer {
  if (previous.length !== 32 || leaf.length !== 32) return createHash('sha256').update(previous).update(leaf).digest();
  CHAIN_INPUT.set(previous, 0);
  CHAIN_INPUT.set(leaf, 32);
  return sha256Once(CHAIN_INPUT);
}

// Scratch input for the one-shot hash (single-threaded, never retained).
const CHAIN_INPUT = Buffer.alloc(64);
