import { equalBytes } from './bytes';
import { sha256 } from './sha256';

// The hash chain's start: SHA-256("evidence-ledger/chain/v1/genesis") (docs/architecture.md).
export async function genesisChainHash(): Promise<Uint8Array> {
  return sha256(new TextEncoder().encode('evidence-ledger/chain/v1/genesis'));
}

// chainHash_n = SHA-256(chainHash_{n-1} ‖ leafHash_n): true when entry n's chain hash follows
// from the previous entry's (the genesis hash for entry 0) and its own leaf hash.
export async function chainLinkHolds(previous: Uint8Array, leaf: Uint8Array, chainHash: Uint8Array): Promise<boolean> {
  return equalBytes(await sha256(previous, leaf), chainHash);
}
