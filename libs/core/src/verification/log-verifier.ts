import { GENESIS_CHAIN_HASH, chainHash } from '../chain/chain-hash';
import { LEDGER_EVENT_TYPES } from '../entry/event-catalog';
import { EMPTY_TREE_ROOT, leafHash } from '../hashing/sha256';
import { CompactRange } from '../merkle/compact-range';
import { TrustedNoteKey } from '../note/note-signature';
import { openCheckpoint } from '../note/signed-checkpoint';
import { parseVerifierKey } from '../note/verifier-key';
import { checkTrustedCheckpoint, claimedCheckpoint, TrustedCheckpoint } from './trusted-checkpoint';
import { VerificationFailure, VerificationReport } from './verification-failure';

/** An entry as a store or an export presents it. Only `canonical` is trusted input. */
export interface VerifiableEntry {
  readonly sequence: number;
  readonly canonical: Uint8Array;
  /** Stored hashes, if the source has them: each is compared with the recomputed one. */
  readonly leafHash?: Uint8Array;
  readonly chainHash?: Uint8Array;
  /** Stored Merkle nodes completed by this leaf (levels 1..k, concatenated). */
  readonly nodes?: Uint8Array;
}

export interface VerifiableCheckpoint {
  readonly note: string;
  /** The size and root a store filed this checkpoint under, compared with the note's. */
  readonly treeSize?: number;
  readonly rootHash?: Uint8Array;
}

export interface LogVerifierOptions {
  /** The public keys trusted from the start (the auditor's `--public-key`). */
  readonly trusted: readonly TrustedNoteKey[];
  /** Expected checkpoint origin (`<prefix>/<tenant>`); any origin when absent. */
  readonly origin?: string;
  /** Expected `tenant` in every entry body. */
  readonly tenant?: string;
  /** Checkpoints the user saw before: the log must extend each (else it was rolled back or rewritten). */
  readonly trustedCheckpoints?: readonly TrustedCheckpoint[];
  /**
   * Where the entries fed begin, when not at entry 0 (an archived segment checked on its own):
   * the tree size, the frontier of the tree of that size (core `frontierNodes`) and the chain
   * hash of the entry before. A checkpoint at that size must then verify before anything it
   * vouches for is trusted; the frontier is only as good as the root it folds into.
   */
  readonly start?: LogStart;
}

/** The log just before the first entry fed: its size, Merkle frontier and last chain hash. */
export interface LogStart {
  readonly treeSize: number;
  readonly frontier: readonly Uint8Array[];
  readonly chainHash: Uint8Array;
}

interface PendingTrusted {
  readonly trusted: TrustedCheckpoint;
  readonly treeSize: number;
}

/**
 * Re-derives a log from its entry bytes alone and checks everything stored against it:
 * each leaf hash (RFC 6962), each chain link, each stored Merkle node, and every checkpoint's
 * signature and root. Streams: memory is O(log n) whatever the log's size. Stops at the first
 * failure, naming the entry (or checkpoint) at fault.
 *
 * Feed entries in order with `entry()`, and each checkpoint with `checkpoint()` once the
 * entries it covers are in (`checkpointDue()` tells when).
 */
export class LogVerifier {
  private readonly range: CompactRange;
  private chain: Buffer;
  private readonly trusted: TrustedNoteKey[];
  private pendingKeys: { sequence: number; key: TrustedNoteKey; keyId: string }[] = [];
  private readonly learned: string[] = [];
  private failure: VerificationFailure | undefined;
  private checkpoints = 0;
  private verifiedTreeSize = 0;
  private verifiedRootHash: Buffer | undefined;
  private lastCheckpointSize = 0;
  private lastOrigin: string | undefined;

  private readonly tenantMember: Buffer | undefined;
  /** Trusted checkpoints not yet shown to be extended, and the log's roots at their sizes. */
  private pendingTrusted: PendingTrusted[];
  private readonly trustedSizes: number[];
  private nextTrustedSize: number;
  private readonly rootsAt = new Map<number, Buffer>();
  private readonly extended: { source: string; treeSize: number }[] = [];

  // Throws NOTE_MALFORMED / CHECKPOINT_MALFORMED if a trusted checkpoint is not a checkpoint at all.
  constructor(private readonly options: LogVerifierOptions) {
    this.trusted = [...options.trusted];
    const { start } = options;
    this.range = start ? CompactRange.fromFrontier(start.treeSize, start.frontier) : CompactRange.empty();
    this.chain = start ? Buffer.from(start.chainHash) : GENESIS_CHAIN_HASH;
    this.tenantMember = options.tenant === undefined ? undefined : Buffer.from(`"tenant":${JSON.stringify(options.tenant)}`);
    this.pendingTrusted = (options.trustedCheckpoints ?? []).map((trusted) => ({
      trusted,
      treeSize: claimedCheckpoint(trusted.note).treeSize,
    }));
    this.trustedSizes = [...new Set(this.pendingTrusted.map((p) => p.treeSize))].sort((a, b) => a - b);
    if (this.trustedSizes[0] === 0) this.rootsAt.set(0, EMPTY_TREE_ROOT);
    this.nextTrustedSize = this.trustedSizes.find((size) => size > this.range.treeSize) ?? -1;
  }

  get failed(): boolean {
    return this.failure !== undefined;
  }

  get treeSize(): number {
    return this.range.treeSize;
  }

  entry(e: VerifiableEntry): boolean {
    if (this.failure) return false;
    const expected = this.range.treeSize;
    if (e.sequence !== expected) {
      return this.fail(
        e.sequence > expected
          ? { code: 'ENTRY_MISSING', sequence: expected, message: `entry ${expected} is missing (the next entry present is ${e.sequence})` }
          : { code: 'ENTRY_OUT_OF_ORDER', sequence: e.sequence, message: `entry ${e.sequence} appears again after entry ${expected - 1}` },
      );
    }
    const bodyProblem = this.bodyProblem(e.canonical, expected);
    if (bodyProblem) return this.fail(bodyProblem);
    const leaf = leafHash(e.canonical);
    if (e.leafHash && !leaf.equals(e.leafHash)) {
      return this.fail({
        code: 'LEAF_HASH_MISMATCH',
        sequence: expected,
        message: `entry ${expected}: stored leaf hash ${b64(e.leafHash)} is not the hash of its bytes (${b64(leaf)})`,
      });
    }
    this.chain = chainHash(this.chain, leaf);
    if (e.chainHash && !this.chain.equals(e.chainHash)) {
      return this.fail({
        code: 'CHAIN_HASH_MISMATCH',
        sequence: expected,
        message: `entry ${expected}: stored chain hash ${b64(e.chainHash)} does not follow from the entries before it (${b64(this.chain)})`,
      });
    }
    const completed = this.range.append(leaf);
    if (this.range.treeSize === this.nextTrustedSize) this.rememberRoot();
    if (e.nodes) {
      const computed = completed.length === 1 ? completed[0].hash : Buffer.concat(completed.map((n) => n.hash));
      if (!computed.equals(e.nodes)) {
        return this.fail({
          code: 'MERKLE_NODE_MISMATCH',
          sequence: expected,
          message: `entry ${expected}: the Merkle nodes stored with it differ from the tree its entries build`,
        });
      }
    }
    if (isRotation(bytesOf(e.canonical))) {
      const body = parseBody(e.canonical);
      if (body?.type === LEDGER_EVENT_TYPES.keyRotated) this.noteKeyRotation(expected, body);
    }
    return true;
  }

  // The body must be the entry it is filed as. The canonical bytes are searched for the
  // member rather than parsed — parsing every entry would halve verification speed — and
  // only a miss is parsed, to say precisely what is wrong. (Hashes, chain and signed roots
  // cover every byte regardless; this check names a moved or foreign entry.)
  private bodyProblem(canonical: Uint8Array, sequence: number): VerificationFailure | undefined {
    const bytes = bytesOf(canonical);
    const fast =
      bytes[0] === 0x7b &&
      bytes[bytes.length - 1] === 0x7d &&
      hasMember(bytes, `"sequence":${sequence}`) &&
      (this.tenantMember === undefined || hasMember(bytes, this.tenantMember));
    if (fast) return undefined;
    const body = parseBody(canonical);
    if (!body) return { code: 'ENTRY_MALFORMED', sequence, message: `entry ${sequence} is not a JSON object` };
    if (body.sequence !== sequence) {
      return { code: 'SEQUENCE_MISMATCH', sequence, message: `entry ${sequence} holds the body of entry ${String(body.sequence)}` };
    }
    if (this.options.tenant !== undefined && body.tenant !== this.options.tenant) {
      return {
        code: 'TENANT_MISMATCH',
        sequence,
        message: `entry ${sequence} belongs to tenant ${String(body.tenant)}, not ${this.options.tenant}`,
      };
    }
    return undefined;
  }

  checkpoint(c: VerifiableCheckpoint): boolean {
    if (this.failure) return false;
    const at = c.treeSize;
    let opened;
    try {
      opened = openCheckpoint(c.note, this.trusted);
    } catch (e) {
      const noteCode = (e as { code?: string }).code;
      // Not one checkpoint verified yet, and the first names none of the keys given: the log
      // was signed by another key. Said as such, not as tampering (a signature by a given key
      // that does not verify is NOTE_BAD_SIGNATURE).
      if (noteCode === 'NOTE_UNVERIFIED' && this.checkpoints === 0) {
        return this.fail({ code: 'WRONG_KEY', treeSize: at, message: (e as Error).message });
      }
      const code = noteCode === 'CHECKPOINT_MALFORMED' || noteCode === 'NOTE_MALFORMED' ? 'CHECKPOINT_MALFORMED' : 'CHECKPOINT_UNVERIFIED';
      return this.fail({
        code,
        treeSize: at,
        sequence: at === undefined ? undefined : at - 1,
        message: `checkpoint${at === undefined ? '' : ` at tree size ${at}`}: ${(e as Error).message}`,
      });
    }
    const { checkpoint } = opened;
    const size = checkpoint.treeSize;
    const root = Buffer.from(checkpoint.rootHash);
    if (at !== undefined && at !== size) {
      return this.fail({
        code: 'CHECKPOINT_MALFORMED',
        treeSize: at,
        sequence: at - 1,
        message: `checkpoint filed at tree size ${at} says tree size ${size}`,
      });
    }
    if (this.options.origin !== undefined && checkpoint.origin !== this.options.origin) {
      return this.fail({
        code: 'CHECKPOINT_ORIGIN_MISMATCH',
        treeSize: size,
        message: `checkpoint at tree size ${size} is for log "${checkpoint.origin}", not "${this.options.origin}"`,
      });
    }
    if (size < this.lastCheckpointSize) {
      return this.fail({
        code: 'CHECKPOINT_OUT_OF_ORDER',
        treeSize: size,
        message: `checkpoint at tree size ${size} follows one at ${this.lastCheckpointSize}`,
      });
    }
    if (size !== this.range.treeSize) {
      return this.fail({
        code: 'CHECKPOINT_BEYOND_LOG',
        treeSize: size,
        sequence: this.range.treeSize,
        message: `checkpoint at tree size ${size} covers entries that are missing: the log ends at entry ${this.range.treeSize - 1}`,
      });
    }
    const computed = this.range.root();
    if (!computed.equals(root) || (c.rootHash && !computed.equals(c.rootHash))) {
      return this.fail({
        code: 'CHECKPOINT_ROOT_MISMATCH',
        treeSize: size,
        sequence: size - 1,
        message: `checkpoint at tree size ${size}: signed root ${b64(root)} is not the root of the entries (${b64(computed)})`,
      });
    }
    this.checkpoints++;
    this.lastCheckpointSize = size;
    this.verifiedTreeSize = size;
    this.verifiedRootHash = root;
    this.lastOrigin = checkpoint.origin;
    // A rotation entry is trusted once a checkpoint signed by an already-trusted key covers it.
    for (const p of this.pendingKeys.filter((k) => k.sequence < size)) {
      this.trusted.push(p.key);
      this.learned.push(p.keyId);
    }
    this.pendingKeys = this.pendingKeys.filter((k) => k.sequence >= size);
    return this.checkTrusted(false);
  }

  // The log's root at the next trusted checkpoint's size, kept until that checkpoint is checked.
  private rememberRoot(): void {
    this.rootsAt.set(this.range.treeSize, this.range.root());
    this.nextTrustedSize = this.trustedSizes.find((size) => size > this.range.treeSize) ?? -1;
  }

  // Checks the trusted checkpoints the verified log has reached (all of them once it is done).
  // Before the end, one whose signature does not verify yet waits: the key that signed it may
  // be learned from a later rotation entry.
  private checkTrusted(final: boolean): boolean {
    if (this.pendingTrusted.length === 0) return true;
    const tree = {
      origin: this.lastOrigin ?? claimedCheckpoint(this.pendingTrusted[0].trusted.note).origin,
      treeSize: final ? this.range.treeSize : this.verifiedTreeSize,
      rootHash: final ? this.range.root() : (this.verifiedRootHash as Buffer),
    };
    const waiting: PendingTrusted[] = [];
    for (const pending of this.pendingTrusted) {
      if (!final && pending.treeSize > tree.treeSize) {
        waiting.push(pending);
        continue;
      }
      const failure = checkTrustedCheckpoint(pending.trusted, this.trusted, tree, (size) => this.rootsAt.get(size), 'the log');
      if (failure === undefined) this.extended.push({ source: pending.trusted.source, treeSize: pending.treeSize });
      else if (!final && failure.code === 'TRUSTED_CHECKPOINT_UNVERIFIED') waiting.push(pending);
      else return this.fail(failure);
    }
    this.pendingTrusted = waiting;
    return true;
  }

  // Called when the source has nothing more. An unsigned tail is reported: nothing vouches for it.
  finish(): VerificationReport {
    if (!this.failure) {
      if (this.checkpoints === 0 && this.range.treeSize > 0) {
        this.fail({ code: 'NO_CHECKPOINT', message: 'no signed checkpoint covers the log' });
      } else if (this.verifiedTreeSize < this.range.treeSize) {
        this.fail({
          code: 'NO_CHECKPOINT',
          sequence: this.verifiedTreeSize,
          message: `entries ${this.verifiedTreeSize}..${this.range.treeSize - 1} are not covered by any signed checkpoint`,
        });
      } else {
        this.checkTrusted(true);
      }
    }
    return {
      ok: !this.failure,
      entries: this.range.treeSize - (this.options.start?.treeSize ?? 0),
      checkpoints: this.checkpoints,
      verifiedTreeSize: this.verifiedTreeSize,
      verifiedRootHash: this.verifiedRootHash,
      keysLearned: [...this.learned],
      trustedCheckpoints: [...this.extended],
      failure: this.failure,
    };
  }

  private noteKeyRotation(sequence: number, body: Record<string, unknown>): void {
    const data = body.data as { verifierKey?: unknown; keyId?: unknown } | undefined;
    if (typeof data?.verifierKey !== 'string') return;
    try {
      this.pendingKeys.push({ sequence, key: parseVerifierKey(data.verifierKey), keyId: String(data.keyId ?? data.verifierKey) });
    } catch {
      // A malformed key in a rotation entry is simply not learned; its checkpoints then fail.
    }
  }

  private fail(failure: VerificationFailure): false {
    this.failure = failure;
    return false;
  }
}

function parseBody(bytes: Uint8Array): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const b64 = (h: Uint8Array) => Buffer.from(h).toString('base64');

const TYPE_MEMBER = Buffer.from('"type":"');
const ROTATION_MARKER = Buffer.from(`"type":"${LEDGER_EVENT_TYPES.keyRotated}"`);

// Whether the entry's top-level type is the key rotation, without parsing it. Members are
// sorted (RFC 8785), so the top-level "type" follows "data" and is the last `"type":"` in
// the bytes — found by a short scan from the end. A miss here could only make the verifier
// fail to learn a key (its later checkpoints then fail), never accept anything.
function isRotation(bytes: Buffer): boolean {
  const at = bytes.lastIndexOf(TYPE_MEMBER);
  const end = at + ROTATION_MARKER.length;
  return at >= 0 && end <= bytes.length && bytes.compare(ROTATION_MARKER, 0, ROTATION_MARKER.length, at, end) === 0;
}

function bytesOf(u: Uint8Array): Buffer {
  return Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength);
}

// A member `"name":value` present in canonical JSON: followed by `,` or `}`, so
// `"sequence":1` does not match `"sequence":12`. Searched from the end: the server's members
// sort after "data", so they sit near the end of the bytes.
function hasMember(bytes: Buffer, member: string | Buffer): boolean {
  const needle = typeof member === 'string' ? Buffer.from(member) : member;
  for (let at = bytes.lastIndexOf(needle); at >= 0; at = at === 0 ? -1 : bytes.lastIndexOf(needle, at - 1)) {
    const next = bytes[at + needle.length];
    if (next === 0x2c || next === 0x7d) return true;
  }
  return false;
}
