import { canonicalJson, leafHash, openCheckpoint, rootFromInclusionProof, TrustedNoteKey } from '@evidence-ledger/core';
import { ChangeState, changeIdsOf, isAtOrBefore, ProjectedEntry, projectEntry, replayChange } from '@evidence-ledger/ledger';
import { ChangeEvidence } from './change-evidence';

/** The outcome for one step: its entry, and whether its bytes and proof checked out. */
export interface StepCheck {
  readonly sequence: number;
  readonly type: string;
  readonly ok: boolean;
  readonly problem?: string;
}

export interface ChangeVerification {
  readonly ok: boolean;
  readonly changeId: string;
  readonly checkpoint?: { readonly origin: string; readonly treeSize: number; readonly rootHash: string };
  readonly steps: readonly StepCheck[];
  /** The state recomputed from the verified entries alone. */
  readonly state?: ChangeState;
  /** Whether it equals, byte for byte as canonical JSON, the state the evidence claims. */
  readonly stateMatches: boolean;
  /** Every problem, each with where it is. */
  readonly failures: readonly string[];
}

// Verifies a change's evidence trusting nothing but `trusted`: the checkpoint's signature;
// for every step, that its bytes hash to its leaf hash, that its inclusion proof leads from
// that leaf to the signed root, that it is the entry of the step's sequence, of this tenant,
// on this change, in order and within the replayed point; and finally that folding those
// entries — and nothing else — gives the state the evidence claims.
export function verifyChangeEvidence(evidence: ChangeEvidence, trusted: readonly TrustedNoteKey[]): ChangeVerification {
  const failures: string[] = [];
  const fail = (where: string, message: string) => failures.push(`${where}: ${message}`);
  let signed: { origin: string; treeSize: number; rootHash: Uint8Array } | undefined;
  if (evidence.checkpoint === undefined) {
    if (evidence.steps.length > 0) fail('checkpoint', 'missing; the steps cannot be proven');
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
  const steps = evidence.steps.map((step): StepCheck => {
    const problem = checkStep(step, evidence, signed, tenant, previous);
    previous = Math.max(previous, step.sequence);
    if (problem) fail(`sequence ${step.sequence}`, problem);
    else entries.push(projectEntry(step.sequence, Buffer.from(step.evidence?.canonical ?? '', 'base64')));
    return { sequence: step.sequence, type: step.type, ok: problem === undefined, ...(problem ? { problem } : {}) };
  });
  const state = failures.length === 0 ? replayChange(evidence.changeId, entries).state : undefined;
  const stateMatches = state !== undefined && canonicalJson(state) === canonicalJson(evidence.state);
  if (state !== undefined && !stateMatches) fail('state', 'the state claimed differs from the one the entries fold to');
  return {
    ok: failures.length === 0,
    changeId: evidence.changeId,
    ...(signed
      ? { checkpoint: { origin: signed.origin, treeSize: signed.treeSize, rootHash: Buffer.from(signed.rootHash).toString('base64') } }
      : {}),
    steps,
    ...(state ? { state } : {}),
    stateMatches,
    failures,
  };
}

function checkStep(
  step: ChangeEvidence['steps'][number],
  evidence: ChangeEvidence,
  signed: { treeSize: number; rootHash: Uint8Array } | undefined,
  tenant: string | undefined,
  previous: number,
): string | undefined {
  const ev = step.evidence;
  if (!ev) return 'no entry bytes or proof';
  if (!signed) return 'no verified checkpoint to prove it against';
  if (step.sequence <= previous) return 'out of order or repeated';
  const bytes = Buffer.from(ev.canonical, 'base64');
  if (bytes.toString('base64') !== ev.canonical) return 'entry bytes are not standard base64';
  const leaf = leafHash(bytes);
  if (leaf.toString('base64') !== ev.leafHash) return 'the entry bytes do not hash to the leaf hash';
  if (ev.proof.leafIndex !== step.sequence || ev.proof.treeSize !== signed.treeSize)
    return `the proof is for leaf ${ev.proof.leafIndex} of a tree of ${ev.proof.treeSize}, not leaf ${step.sequence} of ${signed.treeSize}`;
  let root: Uint8Array;
  try {
    root = rootFromInclusionProof({ ...ev.proof, hashes: ev.proof.hashes.map((h) => Buffer.from(h, 'base64')) }, leaf);
  } catch (e) {
    return (e as Error).message;
  }
  if (!Buffer.from(root).equals(Buffer.from(signed.rootHash))) return 'the inclusion proof does not lead to the signed root';
  let entry: ProjectedEntry;
  try {
    entry = projectEntry(step.sequence, bytes);
  } catch (e) {
    return (e as Error).message;
  }
  const body = JSON.parse(bytes.toString('utf8')) as { tenant?: unknown };
  if (tenant !== undefined && body.tenant !== tenant) return `the entry belongs to tenant ${String(body.tenant)}, not ${tenant}`;
  if (!changeIdsOf(entry).includes(evidence.changeId)) return `the entry is not about change ${evidence.changeId}`;
  if (entry.type !== step.type || entry.id !== step.eventId) return 'the step does not describe its entry';
  if (evidence.asOf && !isAtOrBefore(entry, evidence.asOf)) return 'the entry lies after the point replayed to';
  return undefined;
}
