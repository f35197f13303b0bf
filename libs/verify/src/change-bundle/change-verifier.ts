import {
  AsOf,
  canonicalJson,
  changeIdsOf,
  ChangeState,
  formatAsOf,
  isAtOrBefore,
  leafHash,
  openCheckpoint,
  ProjectedEntry,
  projectEntry,
  replayChange,
  rootFromInclusionProof,
  TimelineStep,
  TrustedNoteKey,
} from '@evidence-ledger/core';
import { ChangeEvidence } from './change-evidence';

/** The outcome for one step: its entry, both its clocks, and whether its bytes and proof checked out. */
export interface StepCheck {
  readonly sequence: number;
  readonly type: string;
  /** `recordedAt` (recorded, the ledger's clock, proven by the log) — from the entry bytes once they verified. */
  readonly recordedAt: string;
  /** `time` (occurred, producer's clock), when the producer sent one. */
  readonly time?: string;
  readonly ok: boolean;
  readonly problem?: string;
}

/**
 * `verified`: a signed checkpoint opened with the trusted key and every step was proven to it.
 * `failed`: something did not verify. `empty`: nothing was there to verify — no step lies at
 * or before the point — so nothing was proven (an inclusion proof shows an entry is in the
 * log, never that one is absent). Only `verified` is OK; the CLI exits 1 otherwise.
 */
export type ChangeOutcome = 'verified' | 'failed' | 'empty';

export interface ChangeVerification {
  readonly ok: boolean;
  readonly outcome: ChangeOutcome;
  readonly changeId: string;
  /** The point replayed to, as asked (`{sequence}` or `{time, clock}`); absent for the end of the log. */
  readonly asOf?: AsOf;
  readonly checkpoint?: { readonly origin: string; readonly treeSize: number; readonly rootHash: string };
  readonly steps: readonly StepCheck[];
  /** The state recomputed from the verified entries alone. */
  readonly state?: ChangeState;
  /** Whether it equals, byte for byte as canonical JSON, the state the evidence claims. */
  readonly stateMatches: boolean;
  /** Every problem, each with where it is; for `empty`, why nothing was verified. */
  readonly failures: readonly string[];
}

type ClaimedStep = ChangeEvidence['steps'][number];

// Verifies a change's evidence trusting nothing but `trusted`: the checkpoint's signature;
// for every step, that its bytes hash to its leaf hash, that its inclusion proof leads from
// that leaf to the signed root, that it is the entry of the step's sequence, of this tenant,
// on this change, in order and within the replayed point; that each step says what its entry
// says (both clocks, type, summary, status); and finally that folding those entries — and
// nothing else — gives the state the evidence claims. No checkpoint or no step is never OK.
export function verifyChangeEvidence(
  evidence: ChangeEvidence,
  trusted: readonly TrustedNoteKey[],
  options: { readonly legacyState?: boolean } = {},
): ChangeVerification {
  const failures: string[] = [];
  const fail = (where: string, message: string) => failures.push(`${where}: ${message}`);
  let signed: { origin: string; treeSize: number; rootHash: Uint8Array } | undefined;
  if (evidence.checkpoint === undefined) {
    fail('checkpoint', 'missing; nothing can be proven');
  } else {
    try {
      signed = openCheckpoint(evidence.checkpoint, trusted).checkpoint;
    } catch (e) {
      fail('checkpoint', `${(e as Error).message} (is --public-key the ledger's key?)`);
    }
  }
  const tenant = signed?.origin.split('/').at(-1);
  const entries: ProjectedEntry[] = [];
  let previous = -1;
  const checks = evidence.steps.map((step): StepCheck => {
    const checked = checkStep(step, evidence, signed, tenant, previous);
    previous = Math.max(previous, step.sequence);
    if (checked.problem) fail(`sequence ${step.sequence}`, checked.problem);
    else if (checked.entry) entries.push(checked.entry);
    const clocks = checked.entry ?? step;
    return {
      sequence: step.sequence,
      type: step.type,
      recordedAt: clocks.recordedAt,
      ...(clocks.time === undefined ? {} : { time: clocks.time }),
      ok: checked.problem === undefined,
      ...(checked.problem ? { problem: checked.problem } : {}),
    };
  });
  let state: ChangeState | undefined;
  if (failures.length === 0) {
    const replay = replayChange(evidence.changeId, entries);
    state = replay.state;
    evidence.steps.forEach((step, i) => {
      if (!describesEntry(step, replay.steps[i]))
        fail(`sequence ${step.sequence}`, 'the step does not say what its entry says (clocks, type, summary or status)');
    });
  }
  const comparable = state !== undefined && options.legacyState ? withoutOccurredTimes(state) : state;
  const stateMatches = comparable !== undefined && canonicalJson(comparable) === canonicalJson(evidence.state);
  if (state !== undefined && !stateMatches) fail('state', 'the state claimed differs from the one the entries fold to');
  const empty = evidence.steps.length === 0;
  if (empty) {
    fail(
      'steps',
      evidence.asOf === undefined
        ? `none: the evidence holds no entry of change ${evidence.changeId}; nothing was verified`
        : `none: no entry of change ${evidence.changeId} lies at or before ${formatAsOf(evidence.asOf)}; nothing was verified`,
    );
  }
  const onlyEmpty = empty && failures.length === 1;
  const outcome: ChangeOutcome = failures.length === 0 ? 'verified' : onlyEmpty ? 'empty' : 'failed';
  return {
    ok: outcome === 'verified',
    outcome,
    changeId: evidence.changeId,
    ...(evidence.asOf ? { asOf: evidence.asOf } : {}),
    ...(signed
      ? { checkpoint: { origin: signed.origin, treeSize: signed.treeSize, rootHash: Buffer.from(signed.rootHash).toString('base64') } }
      : {}),
    steps: checks,
    ...(state ? { state } : {}),
    stateMatches,
    failures,
  };
}

// The state as bundles of format v1 stored it, before it carried the producers' times.
function withoutOccurredTimes(state: ChangeState): unknown {
  const OCCURRED = new Set(['time', 'firstTime', 'lastTime']);
  return JSON.parse(JSON.stringify(state), function (this: unknown, key: string, value: unknown) {
    return OCCURRED.has(key) && !Array.isArray(this) ? undefined : value;
  });
}

// A step as the evidence describes it, against the step recomputed from its verified entry.
function describesEntry(claimed: ClaimedStep, derived: TimelineStep | undefined): boolean {
  if (derived === undefined) return false;
  const { evidence: _evidence, ...described } = claimed;
  return canonicalJson(described) === canonicalJson(derived);
}

function checkStep(
  step: ClaimedStep,
  evidence: ChangeEvidence,
  signed: { treeSize: number; rootHash: Uint8Array } | undefined,
  tenant: string | undefined,
  previous: number,
): { problem?: string; entry?: ProjectedEntry } {
  const ev = step.evidence;
  if (!ev) return { problem: 'no entry bytes or proof' };
  if (!signed) return { problem: 'no verified checkpoint to prove it against' };
  if (step.sequence <= previous) return { problem: 'out of order or repeated' };
  const bytes = Buffer.from(ev.canonical, 'base64');
  if (bytes.toString('base64') !== ev.canonical) return { problem: 'entry bytes are not standard base64' };
  const leaf = leafHash(bytes);
  if (leaf.toString('base64') !== ev.leafHash) return { problem: 'the entry bytes do not hash to the leaf hash' };
  if (ev.proof.leafIndex !== step.sequence || ev.proof.treeSize !== signed.treeSize)
    return {
      problem: `the proof is for leaf ${ev.proof.leafIndex} of a tree of ${ev.proof.treeSize}, not leaf ${step.sequence} of ${signed.treeSize}`,
    };
  let root: Uint8Array;
  try {
    root = rootFromInclusionProof({ ...ev.proof, hashes: ev.proof.hashes.map((h) => Buffer.from(h, 'base64')) }, leaf);
  } catch (e) {
    return { problem: (e as Error).message };
  }
  if (!Buffer.from(root).equals(Buffer.from(signed.rootHash))) return { problem: 'the inclusion proof does not lead to the signed root' };
  let entry: ProjectedEntry;
  try {
    entry = projectEntry(step.sequence, bytes);
  } catch (e) {
    return { problem: (e as Error).message };
  }
  const body = JSON.parse(bytes.toString('utf8')) as { tenant?: unknown };
  const problem = (text: string) => ({ problem: text, entry });
  if (tenant !== undefined && body.tenant !== tenant) return problem(`the entry belongs to tenant ${String(body.tenant)}, not ${tenant}`);
  if (!changeIdsOf(entry).includes(evidence.changeId)) return problem(`the entry is not about change ${evidence.changeId}`);
  if (entry.type !== step.type || entry.id !== step.eventId) return problem('the step does not describe its entry');
  if (evidence.asOf && !isAtOrBefore(entry, evidence.asOf))
    return problem(`the entry lies after the point replayed to (${formatAsOf(evidence.asOf)})`);
  return { entry };
}
