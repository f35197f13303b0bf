import {
  canonicalBytes,
  Checkpoint,
  HASH_SIZE,
  leafHash,
  LedgerError,
  NoteError,
  NoteVerifier,
  openCheckpoint,
  parseVerifierKey,
  Receipt,
  rootFromInclusionProof,
  sha256,
} from '@evidence-ledger/core';
import { LedgerIntegrityError, VerificationUnavailableError } from './errors';
import type { OutgoingEvent } from './ledger-event';
import { CheckpointHistory } from './checkpoint-history';
import { TrustState } from './trust-state';

/** Where the verifier's trust comes from. */
export type TrustAnchor =
  /** C2SP verifier keys handed over out of band; checkpoints must be signed by one of them. */
  | { readonly kind: 'pinned'; readonly keys: readonly NoteVerifier[] }
  /** Keys fetched from the ledger itself on first use, then pinned (and kept in the trust state). */
  | { readonly kind: 'first-use'; readonly fetchKeys: () => Promise<{ origin: string; verifierKeys: string[] }> };

export interface ReceiptVerifierOptions {
  readonly anchor: TrustAnchor;
  /** The log's expected origin; learned from the first verified checkpoint when absent. */
  readonly origin?: string;
  /** The API key the events are posted with: its id is the entries' `producer`. */
  readonly apiKey: string;
  /** Checks a new checkpoint against the ones seen before (consistency proofs). */
  readonly history: CheckpointHistory;
  /** What a previous run established (from the spool directory), if anything. */
  readonly saved?: TrustState;
  /** Told whenever the trust state changes, to keep it across restarts. */
  readonly save?: (state: TrustState) => void;
}

/** A receipt for an event the client sent. */
export interface ReceiptForEvent {
  readonly event: OutgoingEvent;
  readonly receipt: Receipt;
}

/**
 * Checks every receipt with nothing but pinned public keys, as docs/api.md describes:
 *
 * 1. the checkpoint is a C2SP signed note with a valid signature by a pinned key
 *    (c2sp.org/signed-note), for the expected origin (c2sp.org/tlog-checkpoint);
 * 2. the receipt's leaf hash is the RFC 6962 leaf hash of the entry the client's own event
 *    became — its RFC 8785 bytes with the tenant (the origin's last segment), the receipt's
 *    sequence and recordedAt, and the producer id derived from the API key;
 * 3. the inclusion proof leads from that leaf to the checkpoint's root (RFC 9162 §2.1.3.2);
 * 4. the checkpoint is consistent with every checkpoint verified before (RFC 9162 §2.1.4).
 *
 * A failure is a LedgerIntegrityError naming the step; a consistency proof that cannot be
 * fetched is a VerificationUnavailableError.
 */
export class ReceiptVerifier {
  private keys: readonly NoteVerifier[] | undefined;
  private keysLoading: Promise<readonly NoteVerifier[]> | undefined;
  private origin: string | undefined;
  private readonly producer: string;
  private learnedKeys: readonly string[] | undefined;
  /** Checkpoint notes already opened, so a batch's shared checkpoint is checked once. */
  private readonly opened = new Map<string, Checkpoint>();

  constructor(private readonly options: ReceiptVerifierOptions) {
    this.producer = producerId(options.apiKey);
    this.origin = options.origin ?? options.saved?.origin;
    if (options.saved?.origin !== undefined && options.origin !== undefined && options.saved.origin !== options.origin) {
      throw new LedgerIntegrityError(
        'TRUST_STATE_INVALID',
        `the saved trust state is for ${options.saved.origin}, not ${options.origin}; remove it if the client now writes to another log`,
      );
    }
    if (options.anchor.kind === 'pinned') this.keys = options.anchor.keys;
    else if (options.saved?.learnedKeys) this.keys = this.parseLearned(options.saved.learnedKeys);
    const note = options.saved?.checkpoint;
    if (note !== undefined) this.restoreCheckpoint(note);
  }

  /** Verifies receipts; one result per receipt, `undefined` when it holds. Never rejects. */
  async verify(items: readonly ReceiptForEvent[]): Promise<(Error | undefined)[]> {
    let keys: readonly NoteVerifier[];
    try {
      keys = await this.trustedKeys();
    } catch (e) {
      const failure =
        e instanceof LedgerIntegrityError
          ? e
          : new VerificationUnavailableError(`the ledger's public keys could not be fetched: ${(e as Error).message}`, undefined, e);
      return items.map(() => failure);
    }
    const checkpoints = new Map<string, Checkpoint | LedgerIntegrityError>();
    for (const { receipt } of items) {
      if (!checkpoints.has(receipt.checkpoint)) checkpoints.set(receipt.checkpoint, this.openTrusted(receipt, keys));
    }
    const consistency = new Map<string, Promise<Error | undefined>>();
    for (const [note, opened] of checkpoints) {
      if (!(opened instanceof Error))
        consistency.set(
          note,
          this.options.history.accept(opened, note).then(
            () => undefined,
            (e: Error) => e,
          ),
        );
    }
    const results: (Error | undefined)[] = [];
    const hashes = new HashDecoder();
    for (const item of items) {
      const checkpoint = checkpoints.get(item.receipt.checkpoint) as Checkpoint | LedgerIntegrityError;
      results.push(checkpoint instanceof Error ? checkpoint : this.checkReceipt(item, checkpoint, hashes));
    }
    const consistent = new Map<string, Error | undefined>();
    for (const [note, check] of consistency) consistent.set(note, await check);
    this.saveState();
    return results.map((r, i) => r ?? consistent.get(items[i].receipt.checkpoint));
  }

  private async trustedKeys(): Promise<readonly NoteVerifier[]> {
    if (this.keys) return this.keys;
    const anchor = this.options.anchor;
    if (anchor.kind !== 'first-use') throw new Error('no keys to trust');
    this.keysLoading ??= anchor.fetchKeys().then(
      ({ origin, verifierKeys }) => {
        if (this.origin !== undefined && origin !== this.origin) {
          throw new LedgerIntegrityError('ORIGIN_MISMATCH', `the ledger serves the log ${origin}, not ${this.origin}`);
        }
        this.origin = origin;
        this.keys = this.parseLearned(verifierKeys);
        this.learnedKeys = verifierKeys;
        this.saveState();
        return this.keys;
      },
      (e) => {
        this.keysLoading = undefined;
        throw e;
      },
    );
    return this.keysLoading;
  }

  // Step 1: signature by a pinned key, then the origin.
  private openTrusted(receipt: Receipt, keys: readonly NoteVerifier[]): Checkpoint | LedgerIntegrityError {
    const known = this.opened.get(receipt.checkpoint);
    if (known) return known;
    let checkpoint: Checkpoint;
    try {
      checkpoint = openCheckpoint(receipt.checkpoint, keys).checkpoint;
    } catch (e) {
      return noteFailure(e, receipt);
    }
    if (this.origin === undefined) this.origin = checkpoint.origin;
    if (checkpoint.origin !== this.origin) {
      return new LedgerIntegrityError('ORIGIN_MISMATCH', `the checkpoint is for the log ${checkpoint.origin}, not ${this.origin}`, receipt);
    }
    if (this.opened.size >= 64) this.opened.delete(this.opened.keys().next().value as string);
    this.opened.set(receipt.checkpoint, checkpoint);
    return checkpoint;
  }

  // Steps 2 and 3: the leaf is this event's entry, and it is in the signed tree.
  private checkReceipt(
    { event, receipt }: ReceiptForEvent,
    checkpoint: Checkpoint,
    decoder: HashDecoder,
  ): LedgerIntegrityError | undefined {
    const fail = (code: 'RECEIPT_MALFORMED' | 'LEAF_MISMATCH' | 'INCLUSION_PROOF_INVALID', message: string) =>
      new LedgerIntegrityError(code, `receipt for event ${event.id}: ${message}`, receipt);
    const proof = receipt.inclusionProof;
    if (receipt.id !== event.id) return fail('RECEIPT_MALFORMED', `it is the receipt of event ${receipt.id}`);
    if (proof.leafIndex !== receipt.sequence || proof.treeSize !== checkpoint.treeSize) {
      return fail(
        'RECEIPT_MALFORMED',
        `proof for leaf ${proof.leafIndex} of ${proof.treeSize}, entry ${receipt.sequence} of ${checkpoint.treeSize}`,
      );
    }
    const claimed = decodeHash(receipt.leafHash);
    const hashes = proof.hashes.map((h) => decoder.decode(h));
    if (!claimed || hashes.some((h) => h === undefined)) return fail('RECEIPT_MALFORMED', 'a hash is not base64 of 32 bytes');
    const tenant = checkpoint.origin.slice(checkpoint.origin.lastIndexOf('/') + 1);
    const server = { tenant, sequence: receipt.sequence, recordedAt: receipt.recordedAt, producer: this.producer };
    // The entry is the RFC 8785 form of the event with the server's fields added.
    if (!leafHash(canonicalBytes({ ...event.envelope, ...server })).equals(claimed)) {
      return fail('LEAF_MISMATCH', `leaf hash ${receipt.leafHash} is not the hash of entry ${receipt.sequence} as this event`);
    }
    try {
      const root = rootFromInclusionProof({ leafIndex: proof.leafIndex, treeSize: proof.treeSize, hashes: hashes as Buffer[] }, claimed);
      if (Buffer.from(root).equals(checkpoint.rootHash)) return undefined;
    } catch (e) {
      if (!(e instanceof LedgerError && e.code === 'PROOF_INVALID')) throw e;
    }
    return fail('INCLUSION_PROOF_INVALID', `the inclusion proof does not lead to the root of checkpoint ${checkpoint.treeSize}`);
  }

  private restoreCheckpoint(note: string): void {
    if (!this.keys)
      throw new LedgerIntegrityError('TRUST_STATE_INVALID', 'the saved trust state holds a checkpoint but no keys to check it with');
    let checkpoint: Checkpoint;
    try {
      checkpoint = openCheckpoint(note, this.keys).checkpoint;
    } catch (cause) {
      throw new LedgerIntegrityError(
        'TRUST_STATE_INVALID',
        `the saved checkpoint does not verify under the pinned keys (${(cause as Error).message}); ` +
          'keep the key that signed it pinned, or remove the trust state if the log was replaced on purpose',
        undefined,
        { cause },
      );
    }
    if (this.origin !== undefined && checkpoint.origin !== this.origin) {
      throw new LedgerIntegrityError('TRUST_STATE_INVALID', `the saved checkpoint is for ${checkpoint.origin}, not ${this.origin}`);
    }
    this.origin = checkpoint.origin;
    this.options.history.restore(checkpoint, note);
  }

  private parseLearned(vkeys: readonly string[]): NoteVerifier[] {
    try {
      return vkeys.map(parseVerifierKey);
    } catch (cause) {
      throw new LedgerIntegrityError('TRUST_STATE_INVALID', `a learned verifier key is malformed: ${(cause as Error).message}`, undefined, {
        cause,
      });
    }
  }

  private saveState(): void {
    const latest = this.options.history.latestNote;
    this.options.save?.({
      origin: this.origin,
      learnedKeys: this.learnedKeys ?? this.options.saved?.learnedKeys,
      checkpoint: latest,
    });
  }
}

/** The `producer` the ledger records for an API key: the first 16 hex digits of its SHA-256. */
export function producerId(apiKey: string): string {
  return sha256(Buffer.from(apiKey, 'utf8')).subarray(0, 8).toString('hex');
}

function noteFailure(e: unknown, receipt: Receipt): LedgerIntegrityError {
  const message = `checkpoint of the receipt for event ${receipt.id}: ${(e as Error).message}`;
  if (!(e instanceof NoteError)) return new LedgerIntegrityError('CHECKPOINT_MALFORMED', message, receipt, { cause: e });
  const code =
    e.code === 'NOTE_BAD_SIGNATURE'
      ? 'CHECKPOINT_SIGNATURE_INVALID'
      : e.code === 'NOTE_UNVERIFIED'
        ? 'CHECKPOINT_UNTRUSTED'
        : 'CHECKPOINT_MALFORMED';
  return new LedgerIntegrityError(code, message, receipt, { cause: e });
}

// The receipts of one batch share most of their proof hashes: each is decoded once.
class HashDecoder {
  private readonly decoded = new Map<string, Buffer | undefined>();

  decode(text: unknown): Buffer | undefined {
    if (typeof text !== 'string') return undefined;
    if (!this.decoded.has(text)) this.decoded.set(text, decodeHash(text));
    return this.decoded.get(text);
  }
}

// Standard base64 of exactly one hash, strictly (a re-encoding must give the same text).
export function decodeHash(text: unknown): Buffer | undefined {
  if (typeof text !== 'string') return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.length === HASH_SIZE && bytes.toString('base64') === text ? bytes : undefined;
}
