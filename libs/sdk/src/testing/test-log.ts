import {
  buildConsistencyProof,
  buildInclusionProof,
  CompactRange,
  ConsistencyProof,
  ed25519KeyHash,
  EMPTY_TREE_ROOT,
  entryBytes,
  EventEnvelope,
  formatVerifierKey,
  leafHash,
  NodeRef,
  NoteSigner,
  prepareEvent,
  rawEd25519PublicKey,
  Receipt,
  signCheckpoint,
} from '@evidence-ledger/core';
import { generateKeyPairSync, KeyObject, sign } from 'node:crypto';
import { producerId } from '../receipt-verifier';

/** A checkpoint signing key and its C2SP verifier key. */
export interface TestSigningKey {
  readonly signer: NoteSigner;
  readonly vkey: string;
}

export function testSigningKey(name = 'ledger.test', privateKey: KeyObject = generateKeyPairSync('ed25519').privateKey): TestSigningKey {
  const publicKey = rawEd25519PublicKey(privateKey);
  return {
    signer: { name, keyHash: ed25519KeyHash(name, publicKey), sign: async (message) => sign(null, message, privateKey) },
    vkey: formatVerifierKey(name, publicKey),
  };
}

/**
 * A tenant's log built the way the ledger builds it — RFC 8785 entry bytes with the server
 * fields, RFC 6962 leaves and nodes, C2SP checkpoints — in memory, so receipts, checkpoints
 * and proofs can be produced (and then broken) at will.
 */
export class TestLog {
  private readonly range = CompactRange.empty();
  private readonly nodes = new Map<string, Uint8Array>();
  private readonly entries: { id: string; sequence: number; recordedAt: string; leaf: Buffer }[] = [];
  private readonly roots: Uint8Array[] = [EMPTY_TREE_ROOT];

  constructor(
    readonly key: TestSigningKey,
    readonly origin = 'ledger.test/default',
    private readonly apiKey = 'elk_test_producer',
  ) {}

  get treeSize(): number {
    return this.range.treeSize;
  }

  /** Appends events as the given API key's producer; returns their sequences. */
  append(events: readonly EventEnvelope[], recordedAt = '2026-11-21T05:00:00.000Z'): number[] {
    const tenant = this.origin.slice(this.origin.lastIndexOf('/') + 1);
    return events.map((event) => {
      const sequence = this.range.treeSize;
      const bytes = entryBytes(prepareEvent(event), { tenant, sequence, recordedAt, producer: producerId(this.apiKey) });
      const leaf = leafHash(bytes);
      this.nodes.set(key({ level: 0, index: sequence }), leaf);
      for (const n of this.range.append(leaf)) this.nodes.set(key(n), n.hash);
      this.entries.push({ id: event.id, sequence, recordedAt, leaf });
      this.roots.push(this.range.root());
      return sequence;
    });
  }

  /** The signed checkpoint of the tree of `treeSize` entries (default: all). */
  checkpoint(treeSize = this.treeSize, signers: readonly NoteSigner[] = [this.key.signer]): Promise<string> {
    return signCheckpoint({ origin: this.origin, treeSize, rootHash: this.roots[treeSize], extensions: [] }, signers);
  }

  /** The receipt of entry `sequence` against the tree of `treeSize` entries. */
  async receipt(sequence: number, treeSize = this.treeSize): Promise<Receipt> {
    const entry = this.entries[sequence];
    const proof = buildInclusionProof(sequence, treeSize, (ref) => this.node(ref));
    return {
      id: entry.id,
      sequence,
      leafHash: entry.leaf.toString('base64'),
      chainHash: entry.leaf.toString('base64'),
      recordedAt: entry.recordedAt,
      checkpoint: await this.checkpoint(treeSize),
      inclusionProof: { leafIndex: sequence, treeSize, hashes: proof.hashes.map((h) => Buffer.from(h).toString('base64')) },
    };
  }

  consistencyProof(fromSize: number, toSize: number): ConsistencyProof {
    return buildConsistencyProof(fromSize, toSize, (ref) => this.node(ref));
  }

  private node(ref: NodeRef): Uint8Array {
    const hash = this.nodes.get(key(ref));
    if (!hash) throw new Error(`node ${key(ref)} is not in the test log`);
    return hash;
  }
}

const key = (n: NodeRef) => `${n.level}/${n.index}`;
