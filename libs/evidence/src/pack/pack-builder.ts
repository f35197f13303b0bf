import {
  assessControls,
  canonicalBytes,
  ControlsReport,
  EXCEPTION_RESPONSE_TYPE,
  EvidenceTemplate,
  lateEvidenceHours,
  leafHash,
  LedgerError,
  PackRetention,
  PackSubject,
  PopulationFacts,
  projectEntry,
  responseOf,
} from '@evidence-ledger/core';
import { StoredCheckpoint } from '@evidence-ledger/store';
import { Ledger } from '@evidence-ledger/ledger';
import {
  deflateInBackground,
  encodeBase64,
  LeafRange,
  PACK_FILES,
  PACK_FORMAT,
  PackCheckpointRef,
  PackManifest,
  PopulationFold,
  populationFiles,
  PreviousProof,
  RANGE_PROOF_FORMAT,
  rangeLeadsTo,
  RangeProof,
  RESPONSE_PROOFS_FORMAT,
  ResponseProofs,
  sha256Hex,
  timelineLine,
  writeZip,
} from '@evidence-ledger/verify';
import { assessmentResults } from '../oscal/oscal-results';
import { packStatement, signPackStatement, spkiSha256 } from './pack-signing';
import { renderReport } from '../report/report-pdf';

export interface PackRequest {
  readonly tenant: string;
  readonly framework: string;
  /** RFC 3339 instants, normalised to `Date#toISOString()`; entries recorded in [from, to). */
  readonly from: string;
  readonly to: string;
  /** Repositories in scope; empty for all. */
  readonly repositories: readonly string[];
}

export interface PackBuildOptions {
  readonly template: EvidenceTemplate;
  /** The checkpoint of the previous pack of this framework and tenant, proven consistent with this one. */
  readonly previous?: PackCheckpointRef;
  /** The checkpoint to prove against (default: the tenant's latest). */
  readonly checkpoint?: StoredCheckpoint;
  /** Called with a fraction in [0, 1] as the pack is built. */
  readonly onProgress?: (fraction: number) => void;
  /**
   * How the archive will keep the pack (the service states it; the pack cannot prove its own
   * storage). Default: not locked, not archived — retention is then not claimed.
   */
  readonly retention?: PackRetention;
}

export interface BuiltPack {
  readonly zip: Buffer;
  readonly manifest: PackManifest;
  readonly controls: ControlsReport;
}

const SAMPLED_TIMELINES = 3;

// Builds the pack for (framework, period, scope) from the tenant's log (docs/evidence-packs.md):
// reads entries [0, end) — every entry recorded before `to` — folds them once, with the
// management responses recorded after the period up to the checkpoint (each carried with its
// inclusion proof), runs the control tests, proves the entries to the checkpoint, renders the report and the OSCAL
// results, lists every file's SHA-256 in the manifest and signs it. The same log, checkpoint
// and request give the same zip, byte for byte.
export async function buildEvidencePack(ledger: Ledger, request: PackRequest, options: PackBuildOptions): Promise<BuiltPack> {
  const { tenant } = request;
  const { template } = options;
  const progress = options.onProgress ?? (() => undefined);
  const checkpoint = options.checkpoint ?? (await ledger.latestCheckpoint(tenant));
  if (!checkpoint) throw new LedgerError('NOT_FOUND', `tenant ${tenant} has no entries yet`);
  const origin = ledger.origin(tenant);
  const cpRef: PackCheckpointRef = { origin, treeSize: checkpoint.treeSize, rootHash: encodeBase64(checkpoint.rootHash) };

  const lateHours = lateEvidenceHours(template);
  const fold = new PopulationFold(
    { from: request.from, to: request.to, repositories: request.repositories, lateEvidenceHours: lateHours },
    true,
  );
  const lines: Buffer[] = [];
  const leaves: string[] = [];
  const range = new LeafRange(0, []);
  // The report is dated by the checkpoint it proves to: the time its last entry was recorded.
  let asOf: string | undefined;
  // Management responses recorded after the period: the auditor sees what management said by
  // the time the pack was sealed, and whether it came after the period.
  const late: { sequence: number; canonical: Uint8Array }[] = [];
  let afterPeriod = false;
  for await (const stored of ledger.store.readEntries(tenant, 0, checkpoint.treeSize)) {
    const entry = projectEntry(stored.sequence, stored.canonical);
    afterPeriod ||= entry.recordedAt >= request.to;
    const leaf = leafHash(stored.canonical);
    if (!leaf.equals(stored.leafHash))
      throw new LedgerError('STORE_CORRUPT', `entry ${stored.sequence} does not hash to its stored leaf hash`);
    if (afterPeriod) {
      if (entry.type === EXCEPTION_RESPONSE_TYPE && responseOf(entry)) {
        late.push({ sequence: stored.sequence, canonical: stored.canonical });
        fold.addResponse(entry);
      }
      continue;
    }
    lines.push(stored.canonical);
    leaves.push(encodeBase64(leaf));
    range.append(leaf);
    fold.add(entry, leaf);
    asOf = entry.recordedAt;
    if (lines.length % 10_000 === 0) progress((0.6 * lines.length) / checkpoint.treeSize);
  }
  const end = lines.length;
  if (end < checkpoint.treeSize) {
    const last = await ledger.entry(tenant, checkpoint.treeSize - 1);
    if (!last) throw new LedgerError('STORE_CORRUPT', `entry ${checkpoint.treeSize - 1} of checkpoint #${checkpoint.treeSize} is missing`);
    asOf = projectEntry(last.sequence, last.canonical).recordedAt;
  }
  const checkpointAsOf = asOf ?? request.from;
  // The two large files compress on the thread pool while the controls and the report are built.
  const eventsBytes = joinLines(lines);
  const leafBytes = Buffer.from(leaves.length ? `${leaves.join('\n')}\n` : '', 'utf8');
  const eventsDeflated = deflateInBackground(eventsBytes, 1);
  const leavesDeflated = deflateInBackground(leafBytes, 1);
  // Awaited below; until then a failure must not surface as an unhandled rejection.
  for (const p of [eventsDeflated, leavesDeflated]) p.catch(() => undefined);
  const consistency = end > 0 && end < checkpoint.treeSize ? (await ledger.consistencyProof(tenant, end, checkpoint.treeSize)).hashes : [];
  const rangeProof: RangeProof = {
    format: RANGE_PROOF_FORMAT,
    start: 0,
    end,
    treeSize: checkpoint.treeSize,
    prefix: [],
    consistency: consistency.map(encodeBase64),
  };
  const verified = rangeLeadsTo(range.root(), rangeProof, checkpoint.rootHash);
  const responseProofs: ResponseProofs = {
    format: RESPONSE_PROOFS_FORMAT,
    treeSize: checkpoint.treeSize,
    proofs: await Promise.all(
      late.map(async ({ sequence }) => ({
        sequence,
        hashes: (await ledger.inclusionProof(tenant, sequence, checkpoint.treeSize)).proof.hashes.map(encodeBase64),
      })),
    ),
  };
  progress(0.65);

  const subject: PackSubject = {
    tenant,
    period: { from: request.from, to: request.to },
    scope: { repositories: [...request.repositories] },
    checkpoint: cpRef,
    entries: { start: 0, end },
  };
  const facts = fold.facts();
  const { report: controls, populations } = assessControls(template, facts, subject, {
    logIntegrity: { verified, entries: end, ...(verified ? {} : { problem: 'the entries do not lead to the signed checkpoint' }) },
    retention: options.retention ?? { days: template.retention.days, locked: false, archive: 'none' },
  });
  // controls.json and the population CSVs (large for a long period) compress on the thread
  // pool too, while the report is rendered.
  const controlsBytes = canonicalBytes(controls);
  const csvFiles = populationFiles(template.controls, populations);
  const background: Record<string, Promise<Buffer>> = {
    [PACK_FILES.events]: eventsDeflated,
    [PACK_FILES.leafHashes]: leavesDeflated,
    [PACK_FILES.controls]: deflateInBackground(controlsBytes, 6),
    ...Object.fromEntries(csvFiles.map(([name, bytes]) => [name, deflateInBackground(bytes, 6)])),
  };
  for (const p of Object.values(background)) p.catch(() => undefined);
  let previousProof: PreviousProof | undefined;
  if (options.previous) {
    const p = options.previous;
    const hashes =
      p.treeSize > 0 && p.treeSize < checkpoint.treeSize
        ? (await ledger.consistencyProof(tenant, p.treeSize, checkpoint.treeSize)).hashes
        : [];
    previousProof = { previous: p, fromSize: p.treeSize, toSize: checkpoint.treeSize, hashes: hashes.map(encodeBase64) };
  }
  progress(0.7);

  const timelines = sampledChanges(controls, facts)
    .slice(0, SAMPLED_TIMELINES)
    .map((changeId) => ({
      changeId,
      steps: fold.timeline(changeId).map((s) => timelineLine(projectEntry(s, lines[s]), leafHash(lines[s]), lateHours)),
    }));
  const report = await renderReport({
    report: controls,
    keyId: spkiSha256(ledger.signingKey.publicKey),
    asOf: checkpointAsOf,
    timelines,
    previous: options.previous ? { treeSize: options.previous.treeSize, rootHash: options.previous.rootHash } : null,
  });
  progress(0.85);

  const files: [string, Uint8Array, number][] = [
    [PACK_FILES.report, report, 6],
    [PACK_FILES.controls, controlsBytes, 6],
    ...csvFiles.map(([name, bytes]): [string, Uint8Array, number] => [name, bytes, 6]),
    [PACK_FILES.events, eventsBytes, 1],
    [PACK_FILES.leafHashes, leafBytes, 1],
    [PACK_FILES.range, canonicalBytes(rangeProof), 6],
    ...(previousProof ? ([[PACK_FILES.previous, canonicalBytes(previousProof), 6]] as [string, Uint8Array, number][]) : []),
    ...(late.length > 0
      ? ([
          [PACK_FILES.responsesAfterPeriod, joinLines(late.map((l) => Buffer.from(l.canonical))), 6],
          [PACK_FILES.responseProofs, canonicalBytes(responseProofs), 6],
        ] as [string, Uint8Array, number][])
      : []),
    [PACK_FILES.checkpoint, Buffer.from(checkpoint.note, 'utf8'), 6],
    [PACK_FILES.oscal, canonicalBytes(assessmentResults(controls, checkpointAsOf)), 6],
  ];
  const manifest: PackManifest = {
    format: PACK_FORMAT,
    framework: template.framework,
    tenant,
    period: subject.period,
    scope: subject.scope,
    checkpoint: cpRef,
    entries: { start: 0, end, population: controls.population.entries },
    previous: options.previous ?? null,
    signingKeyId: spkiSha256(ledger.signingKey.publicKey),
    files: Object.fromEntries(files.map(([name, bytes]) => [name, sha256Hex(bytes)])),
  };
  const manifestBytes = canonicalBytes(manifest);
  const statement = packStatement(sha256Hex(manifestBytes), {
    framework: template.framework,
    tenant,
    period: subject.period,
    checkpoint: cpRef,
  });
  const bundle = await signPackStatement(statement, ledger.signingKey);
  const deflated: Record<string, Buffer> = {};
  for (const [name, p] of Object.entries(background)) deflated[name] = await p;
  const zip = writeZip(
    [...files, [PACK_FILES.manifest, manifestBytes, 6], [PACK_FILES.bundle, bundle, 6]].map(([name, bytes, level]) => ({
      name: name as string,
      bytes: bytes as Uint8Array,
      level: level as number,
      ...(deflated[name as string] ? { deflated: deflated[name as string] } : {}),
    })),
  );
  progress(1);
  return { zip, manifest, controls };
}

// The changes whose timelines the report prints: the first change with an exception, then
// the changes of the controls' Type II samples, in control order, each once.
function sampledChanges(report: ControlsReport, facts: PopulationFacts): string[] {
  const bySequence = new Map<number, string>();
  for (const m of facts.merges) bySequence.set(m.sequence, m.changeId);
  for (const d of facts.deployments) if (d.changeId !== undefined) bySequence.set(d.sequence, d.changeId);
  const ids: string[] = [];
  const firstException = report.controls.flatMap((c) => c.exceptions).find((x) => x.changeId !== undefined);
  if (firstException?.changeId) ids.push(firstException.changeId);
  for (const c of report.controls)
    for (const { sequence } of c.sample.items) {
      const id = bySequence.get(sequence);
      if (id !== undefined && !ids.includes(id)) ids.push(id);
    }
  return ids;
}

function joinLines(lines: readonly Buffer[]): Buffer {
  const parts: Buffer[] = [];
  const newline = Buffer.from('\n');
  for (const l of lines) parts.push(l, newline);
  return Buffer.concat(parts);
}
