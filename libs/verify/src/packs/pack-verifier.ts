import {
  assessControls,
  canonicalJson,
  checkTrustedCheckpoint,
  claimedCheckpoint,
  CONTROLS_FORMAT,
  ControlsReport,
  DEFAULT_LATE_EVIDENCE_HOURS,
  EvidenceTemplate,
  lateEvidenceHours,
  leafHash,
  openCheckpoint,
  PackRetention,
  projectEntry,
  TrustedCheckpoint,
  TrustedNoteKey,
  validateTemplate,
  verifyConsistency,
} from '@evidence-ledger/core';
import { PACK_FILES, PACK_FORMAT, PackCheckpointRef, PackManifest, PreviousProof, RangeProof } from './pack-format';
import { openPackBundle, spkiSha256 } from './pack-bundle';
import { sha256Hex } from './file-digest';
import { ZipReader } from './pack-zip';
import { PopulationFold } from './population-fold';
import { checkPopulationCsvs, sampleDifference } from './population-check';
import { decodeBase64, encodeBase64, LeafRange, rangeLeadsTo } from './range-proof';
import { responsesAfterPeriod } from './responses-after-period';

/** The keys an auditor trusts: note verifiers for the checkpoint, raw Ed25519 keys for the bundle. */
export interface PackTrust {
  readonly noteKeys: readonly TrustedNoteKey[];
  readonly rawKeys: readonly Uint8Array[];
  /** Checkpoints the auditor saw before (`--trusted-checkpoint`): the pack's tree must extend each. */
  readonly checkpoints?: readonly TrustedCheckpoint[];
}

export interface PackVerification {
  readonly ok: boolean;
  readonly manifest?: PackManifest;
  readonly checkpoint?: PackCheckpointRef;
  /** What held, in the order checked (for the printed report). */
  readonly passed: readonly string[];
  /** Every problem, each naming the file — and the line and sequence for entries — it was found in. */
  readonly failures: readonly string[];
  /** Set when the pack was signed by another key than the ones given: the keys, by id. */
  readonly wrongKey?: string;
  /** The controls as re-evaluated from the events (when the pack could be read that far). */
  readonly controls?: ControlsReport;
}

const MAX_ENTRY_FAILURES = 20;
// manifest.json and its Sigstore bundle are small (a few kB); they are read before anything else.
const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;
// What a file listed only by an unsigned (or foreign) manifest may unpack to.
const MAX_UNSIGNED_ENTRY_BYTES = 16 * 1024 * 1024;

// Verifies a pack trusting nothing but `trust` (docs/evidence-packs.md, "Verifying"): the
// Sigstore bundle over the manifest, every file's SHA-256, the checkpoint signature, every
// entry against its leaf hash and the leaves against the signed root, consistency with the
// previous pack, and the control tests re-run from the events, which must reproduce
// controls.json byte for byte — each control's sample re-drawn from the checkpoint root and
// every population CSV checked row by row.
export function verifyEvidencePack(zip: Uint8Array, trust: PackTrust, previousZip?: Uint8Array): PackVerification {
  const passed: string[] = [];
  const failures: string[] = [];
  const fail = (where: string, message: string) => failures.push(`${where}: ${message}`);
  let zipReader: ZipReader;
  try {
    zipReader = ZipReader.open(zip);
  } catch (e) {
    return { ok: false, passed, failures: [`pack: not a readable zip (${(e as Error).message})`] };
  }
  // The manifest and its signature are read first, each bounded: nothing else is inflated
  // before the manifest says what the pack holds.
  const files: Record<string, Uint8Array> = {};
  for (const name of [PACK_FILES.manifest, PACK_FILES.bundle]) {
    const declared = zipReader.entry(name)?.size ?? 0;
    try {
      if (declared > MAX_MANIFEST_BYTES)
        throw new Error(`declares ${declared} bytes, more than the ${MAX_MANIFEST_BYTES} allowed; refused`);
      if (zipReader.has(name)) files[name] = zipReader.read(name);
    } catch (e) {
      return { ok: false, passed, failures: [`${name}: ${(e as Error).message.replace(`${name}: `, '')}`] };
    }
  }
  const text = (name: string) => Buffer.from(files[name] ?? new Uint8Array()).toString('utf8');

  // 1. The signed statement names the manifest by digest.
  const manifestBytes = files[PACK_FILES.manifest];
  if (!manifestBytes) return { ok: false, passed, failures: [`${PACK_FILES.manifest}: missing`] };
  const wrongKey = files[PACK_FILES.bundle] ? bundleKeyMismatch(files[PACK_FILES.bundle], trust.rawKeys) : undefined;
  if (wrongKey) fail('--public-key', wrongKey);
  let manifestSigned = false;
  try {
    if (!files[PACK_FILES.bundle]) throw new Error('missing');
    const statement = openPackBundle(files[PACK_FILES.bundle], trust.rawKeys);
    const subject = statement.subject?.[0];
    if (subject?.name !== PACK_FILES.manifest)
      fail(PACK_FILES.bundle, `the signed statement is about ${String(subject?.name)}, not ${PACK_FILES.manifest}`);
    else if (subject.digest?.sha256 !== sha256Hex(manifestBytes))
      fail(PACK_FILES.manifest, 'its SHA-256 differs from the one the signed statement (manifest.sigstore.json) names');
    else {
      manifestSigned = true;
      passed.push('manifest.sigstore.json: DSSE signature verifies with the key; the in-toto statement names manifest.json by its SHA-256');
    }
  } catch (e) {
    fail(PACK_FILES.bundle, `${(e as Error).message}${wrongKey ? '' : " (is --public-key the ledger's key?)"}`);
  }
  let manifest: PackManifest;
  try {
    manifest = JSON.parse(Buffer.from(manifestBytes).toString('utf8')) as PackManifest;
    if (manifest.format !== PACK_FORMAT) throw new Error(`format is ${String(manifest.format)}, not ${PACK_FORMAT}`);
  } catch (e) {
    return {
      ok: false,
      passed,
      failures: [...failures, `${PACK_FILES.manifest}: ${(e as Error).message}`],
      ...(wrongKey ? { wrongKey } : {}),
    };
  }

  // Only what the manifest lists is unpacked; anything else is refused by its header alone.
  let unlisted = false;
  for (const entry of zipReader.entries) {
    if (entry.name === PACK_FILES.manifest || entry.name === PACK_FILES.bundle) continue;
    if (!Object.hasOwn(manifest.files ?? {}, entry.name)) {
      fail(entry.name, `not listed in manifest.json; refused without unpacking it (it declares ${entry.size} bytes)`);
      unlisted = true;
      continue;
    }
    // A manifest the key did not sign vouches for nothing: it cannot make the verifier unpack much.
    if (!manifestSigned && entry.size > MAX_UNSIGNED_ENTRY_BYTES) {
      fail(entry.name, `declares ${entry.size} bytes; not unpacked, as manifest.json is not signed by the key`);
      continue;
    }
    try {
      files[entry.name] = zipReader.read(entry.name);
    } catch (e) {
      fail(entry.name, (e as Error).message.replace(`${entry.name}: `, ''));
    }
  }

  // 2. Every file has the digest the manifest lists; nothing is missing or added.
  let digestsOk = !unlisted;
  for (const [name, digest] of Object.entries(manifest.files ?? {})) {
    if (!files[name]) {
      if (!zipReader.has(name)) fail(name, 'missing from the pack');
      digestsOk = false;
    } else if (sha256Hex(files[name]) !== digest) {
      fail(name, 'its SHA-256 differs from the one manifest.json lists');
      digestsOk = false;
    }
  }
  if (digestsOk) passed.push(`${Object.keys(manifest.files).length} files: SHA-256 as manifest.json lists`);

  // 3. The checkpoint is signed and is the one the manifest names.
  let signedRoot: Uint8Array | undefined;
  try {
    const cp = openCheckpoint(text(PACK_FILES.checkpoint), trust.noteKeys).checkpoint;
    signedRoot = cp.rootHash;
    const m = manifest.checkpoint;
    if (cp.origin !== m.origin || cp.treeSize !== m.treeSize || encodeBase64(cp.rootHash) !== m.rootHash)
      fail(PACK_FILES.checkpoint, 'it names another tree than manifest.json (origin, tree size or root)');
    else passed.push(`checkpoint: signed by the key; ${cp.origin} #${cp.treeSize}`);
  } catch (e) {
    fail(PACK_FILES.checkpoint, `${(e as Error).message}${wrongKey ? '' : " (is --public-key the ledger's key?)"}`);
  }

  // 4. Entries: bytes → leaf hashes → root of the signed tree; then fold them.
  const tenant = manifest.tenant;
  const range = readRangeProof(text(PACK_FILES.range), fail);
  const previousProof = files[PACK_FILES.previous] ? (JSON.parse(text(PACK_FILES.previous)) as PreviousProof) : undefined;
  const previous = previousZip ? verifyEvidencePack(previousZip, { ...trust, checkpoints: [] }) : undefined;
  const previousSize = previous?.checkpoint?.treeSize;
  const leaves = new LeafRange(
    range?.start ?? 0,
    (range?.prefix ?? []).map((h) => decodeBase64(h) ?? new Uint8Array()),
    previousSize,
  );
  // The template (and its late-evidence threshold) comes from controls.json, validated again.
  let claimed: ControlsReport | undefined;
  let template: EvidenceTemplate | undefined;
  let templateProblem: string | undefined;
  try {
    claimed = JSON.parse(text(PACK_FILES.controls)) as ControlsReport;
    template = validateTemplate(claimed.template, `${PACK_FILES.controls} template`);
  } catch (e) {
    templateProblem = (e as Error).message;
  }
  const fold = new PopulationFold({
    from: manifest.period.from,
    to: manifest.period.to,
    repositories: manifest.scope.repositories,
    lateEvidenceHours: template ? lateEvidenceHours(template) : DEFAULT_LATE_EVIDENCE_HOURS,
  });
  // The pack's roots at the trusted checkpoints' sizes, computed from its leaves on the way.
  const trustedSizes = new Set((trust.checkpoints ?? []).map((c) => claimedCheckpoint(c.note).treeSize));
  const rootsAt = new Map<number, Uint8Array>();
  const eventBytes = files[PACK_FILES.events] ?? new Uint8Array();
  const leafLines = text(PACK_FILES.leafHashes).split('\n');
  let entryFailures = 0;
  let entriesOk = true;
  const entryFail = (line: number, sequence: number, message: string) => {
    entriesOk = false;
    if (++entryFailures <= MAX_ENTRY_FAILURES) fail(`${PACK_FILES.events} line ${line} (sequence ${sequence})`, message);
  };
  let offset = 0;
  let line = 0;
  const start = range?.start ?? 0;
  if (start !== 0) fail(PACK_FILES.range, 'this verifier needs packs that start at the first entry of the log');
  while (offset < eventBytes.length) {
    let nl = eventBytes.indexOf(0x0a, offset);
    if (nl < 0) nl = eventBytes.length;
    const bytes = eventBytes.subarray(offset, nl);
    offset = nl + 1;
    const sequence = start + line;
    line++;
    const leaf = leafHash(bytes);
    leaves.append(leaf);
    if (trustedSizes.has(leaves.size)) rootsAt.set(leaves.size, leaves.root());
    if (encodeBase64(leaf) !== leafLines[line - 1])
      entryFail(line, sequence, `the entry bytes do not hash to line ${line} of ${PACK_FILES.leafHashes}`);
    try {
      const entry = projectEntry(sequence, bytes);
      const body = JSON.parse(Buffer.from(bytes).toString('utf8')) as { tenant?: unknown };
      if (body.tenant !== tenant) entryFail(line, sequence, `the entry belongs to tenant ${String(body.tenant)}, not ${tenant}`);
      if (entry.recordedAt >= manifest.period.to) entryFail(line, sequence, 'the entry was recorded after the period');
      fold.add(entry, leaf);
    } catch (e) {
      entryFail(line, sequence, (e as Error).message);
    }
  }
  if (entryFailures > MAX_ENTRY_FAILURES) fail(PACK_FILES.events, `${entryFailures - MAX_ENTRY_FAILURES} more entries failed`);
  if (range && line !== range.end - range.start) {
    fail(PACK_FILES.events, `it holds ${line} entries; ${PACK_FILES.range} proves ${range.end - range.start}`);
    entriesOk = false;
  }
  if (leafLines.length !== line + 1 || leafLines[line] !== '') {
    fail(PACK_FILES.leafHashes, `it holds ${leafLines.length - 1} lines for ${line} entries`);
    entriesOk = false;
  }
  let proofOk = false;
  if (range && signedRoot) {
    proofOk = rangeLeadsTo(leaves.root(), range, signedRoot);
    if (!proofOk) fail(PACK_FILES.range, `the ${line} entries do not lead to the signed root of tree ${range.treeSize}`);
    else if (entriesOk) passed.push(`${line} entries: each hashes to its leaf; together they lead to the signed root (RFC 6962/9162)`);
  }

  // 4b. Management responses recorded after the period: each proven in the signed tree, then folded.
  const failuresBefore = failures.length;
  const lateResponses = responsesAfterPeriod(files, manifest, start + line, signedRoot, fail);
  for (const e of lateResponses) fold.addResponse(e);
  if (lateResponses.length > 0 && failures.length === failuresBefore)
    passed.push(
      `${PACK_FILES.responsesAfterPeriod}: ${lateResponses.length} management response${lateResponses.length === 1 ? '' : 's'} recorded after the period, each proven in the signed tree (RFC 9162 inclusion)`,
    );

  // 5. The previous pack: its proof in this pack, and — given the older pack — its tree is a prefix of this one.
  if (previousProof) {
    const ok =
      signedRoot !== undefined &&
      canonicalJson(previousProof.previous) === canonicalJson(manifest.previous) &&
      (previousProof.fromSize === previousProof.toSize
        ? previousProof.previous.rootHash === manifest.checkpoint.rootHash
        : verifyConsistency(
            {
              fromSize: previousProof.fromSize,
              toSize: previousProof.toSize,
              hashes: previousProof.hashes.map((h) => decodeBase64(h) ?? new Uint8Array()),
            },
            decodeBase64(previousProof.previous.rootHash) ?? new Uint8Array(),
            signedRoot,
          ));
    if (!ok) fail(PACK_FILES.previous, "it does not prove this pack's tree extends the previous pack's");
    else passed.push(`${PACK_FILES.previous}: this tree extends the previous pack's tree #${previousProof.fromSize}`);
  }
  if (previous) {
    const p = previous.checkpoint;
    if (!previous.ok) fail('--previous', `the previous pack does not verify: ${previous.failures[0] ?? ''}`);
    else if (!p) fail('--previous', 'the previous pack has no checkpoint');
    else if (previous.manifest?.tenant !== tenant || p.origin !== manifest.checkpoint.origin)
      fail('--previous', `the previous pack is for ${p.origin}, not ${manifest.checkpoint.origin}`);
    else if (previous.manifest?.framework !== manifest.framework)
      fail('--previous', `the previous pack is for framework ${String(previous.manifest?.framework)}, not ${manifest.framework}`);
    else if (p.treeSize > manifest.checkpoint.treeSize)
      fail('--previous', `the previous pack's tree (#${p.treeSize}) is larger than this pack's`);
    else {
      const provenByProof =
        manifest.previous !== null && canonicalJson(manifest.previous) === canonicalJson(p) && previousProof !== undefined;
      const recomputed = leaves.rootAtRemembered();
      const consistent = provenByProof
        ? !failures.some((f) => f.startsWith(PACK_FILES.previous))
        : recomputed !== undefined && encodeBase64(recomputed) === p.rootHash;
      if (consistent) passed.push(`--previous: this pack's log extends the previous pack's tree #${p.treeSize} (no fork, no rewrite)`);
      else if (recomputed === undefined && !provenByProof)
        fail('--previous', `this pack carries no proof from the previous pack's tree #${p.treeSize}`);
      else
        fail(
          '--previous',
          `the previous pack's tree #${p.treeSize} is not a prefix of this pack's log: the logs have forked or been rewritten`,
        );
    }
  }

  // 5b. Every checkpoint the auditor saw before: this pack's tree extends it.
  for (const trusted of trust.checkpoints ?? []) {
    const cp = manifest.checkpoint;
    if (signedRoot === undefined) {
      fail('--trusted-checkpoint', `${trusted.source} cannot be checked: the pack's own checkpoint does not verify`);
      continue;
    }
    const previousRoot =
      previousProof && !failures.some((f) => f.startsWith(PACK_FILES.previous)) ? decodeBase64(previousProof.previous.rootHash) : undefined;
    const rootAt = (size: number) =>
      (proofOk && entriesOk ? rootsAt.get(size) : undefined) ?? (previousProof?.fromSize === size ? previousRoot : undefined);
    const failure = checkTrustedCheckpoint(trusted, trust.noteKeys, { ...cp, rootHash: signedRoot }, rootAt, 'the pack');
    if (failure) fail('--trusted-checkpoint', failure.message);
    else
      passed.push(
        `--trusted-checkpoint: this pack's tree #${cp.treeSize} extends ${trusted.source} (tree size ${claimedCheckpoint(trusted.note).treeSize})`,
      );
  }

  // 6. Re-run every control test from the events; the result must be controls.json, byte for byte.
  let controls: ControlsReport | undefined;
  try {
    if (!claimed || !template) throw new Error(templateProblem ?? 'no template');
    if (claimed.format !== CONTROLS_FORMAT)
      throw new Error(
        `its format is ${String(claimed.format)}; this verifier re-evaluates ${CONTROLS_FORMAT} (verify an older pack with the ledger version that built it)`,
      );
    const verified = signedRoot !== undefined && proofOk && entriesOk;
    const assessment = assessControls(
      template,
      fold.facts(),
      { tenant, period: manifest.period, scope: manifest.scope, checkpoint: manifest.checkpoint, entries: { start, end: start + line } },
      {
        logIntegrity: { verified, entries: line, ...(verified ? {} : { problem: 'the entries do not lead to the signed checkpoint' }) },
        // The archive's lock is the service's statement: a pack cannot prove its own storage.
        retention: claimedRetention(claimed.inputs?.retention),
      },
    );
    controls = assessment.report;
    // Each control's Type II sample is re-drawn from the checkpoint root and named when it differs.
    const claimedList: unknown[] = Array.isArray(claimed.controls) ? claimed.controls : [];
    const sampleProblems = controls.controls
      .map((c) => sampleDifference(claimedList.find((x) => (x as { id?: unknown } | null)?.id === c.id) ?? {}, c))
      .filter((p): p is string => p !== undefined);
    for (const p of sampleProblems) fail(PACK_FILES.controls, p);
    const recomputed = canonicalJson(controls);
    if (recomputed === text(PACK_FILES.controls)) {
      passed.push(`${PACK_FILES.controls}: all ${controls.controls.length} controls re-evaluated from the events; identical`);
      const sampled = controls.controls.filter((c) => c.sample.size > 0).length;
      // Nothing drawn is nothing checked: the line is only printed over samples that exist.
      if (sampled > 0) passed.push(`samples: ${sampled} controls' samples re-drawn from the checkpoint root; identical`);
    } else if (sampleProblems.length === 0 || !onlySamplesDiffer(claimed, controls))
      fail(PACK_FILES.controls, describeDifference(claimed, controls));
    // Every population CSV, row by row, against the re-evaluated populations.
    const csv = checkPopulationCsvs(template.controls, assessment.populations, files, Object.keys(manifest.files ?? {}), fail);
    // Nothing matched is not a match: empty populations are said to be empty.
    if (csv.ok && csv.rows > 0)
      passed.push(`${csv.files} population CSVs: all ${csv.rows} rows match the populations re-evaluated from the events`);
    else if (csv.ok && csv.files > 0)
      passed.push(
        `${csv.files} population CSVs: each holds only its header row, as the empty populations re-evaluated from the events require`,
      );
  } catch (e) {
    fail(PACK_FILES.controls, `cannot be re-evaluated: ${(e as Error).message}`);
  }
  return {
    ok: failures.length === 0,
    manifest,
    checkpoint: manifest.checkpoint,
    passed,
    failures,
    ...(wrongKey ? { wrongKey } : {}),
    ...(controls ? { controls } : {}),
  };
}

// The retention controls.json states, read strictly: anything malformed counts as not locked,
// so the re-evaluation then differs from a pack that claimed otherwise.
function claimedRetention(value: unknown): PackRetention {
  const r = (typeof value === 'object' && value !== null ? value : {}) as Partial<PackRetention>;
  const archive = r.archive === 's3' || r.archive === 'disk' ? r.archive : 'none';
  const days = Number.isSafeInteger(r.days) && (r.days as number) > 0 ? (r.days as number) : 0;
  return { days, locked: r.locked === true && archive === 's3', archive };
}

function readRangeProof(text: string, fail: (where: string, message: string) => void): RangeProof | undefined {
  try {
    const r = JSON.parse(text) as RangeProof;
    if (!Number.isSafeInteger(r.start) || !Number.isSafeInteger(r.end) || !Array.isArray(r.consistency) || !Array.isArray(r.prefix))
      throw new Error('not a range proof');
    return r;
  } catch (e) {
    fail(PACK_FILES.range, (e as Error).message);
    return undefined;
  }
}

// Whether controls.json equals the re-evaluation but for the controls' samples (reported on their own).
function onlySamplesDiffer(claimed: ControlsReport, actual: ControlsReport): boolean {
  const strip = (r: ControlsReport) => {
    try {
      return canonicalJson({ ...r, controls: r.controls.map((c) => ({ ...c, sample: null })) });
    } catch {
      return undefined;
    }
  };
  return Array.isArray(claimed.controls) && strip(claimed) === strip(actual);
}

// Names the first control whose claimed result (its sample aside) differs from the recomputed one.
function describeDifference(claimed: ControlsReport, actual: ControlsReport): string {
  const list = Array.isArray(claimed.controls) ? claimed.controls : [];
  for (const c of actual.controls) {
    const other = list.find((x) => x?.id === c.id);
    if (!other) return `control ${c.id} is missing`;
    if (canonicalJson({ ...other, sample: null }) !== canonicalJson({ ...c, sample: null }))
      return `control ${c.id} differs from the re-evaluation (claimed ${String(other.status)} with ${other.exceptions?.length ?? 0} exceptions; recomputed ${c.status} with ${c.exceptions.length})`;
  }
  if (canonicalJson(claimed.lateEvidence ?? null) !== canonicalJson(actual.lateEvidence))
    return `its late evidence differs from the re-evaluation (claimed ${String(claimed.lateEvidence?.entries?.length)} late entries; recomputed ${actual.lateEvidence.entries.length})`;
  if (canonicalJson(claimed.inputs ?? null) !== canonicalJson(actual.inputs))
    return 'its inputs differ from the re-evaluation (log integrity, or a retention lock claimed for an archive that does not enforce one)';
  return 'it differs from the re-evaluation of the events (summary, subject or template)';
}

// When the bundle's key hint (hex SHA-256 of the signing key's SPKI, the key id `signing-key
// show` prints) is none of the keys given, the pack was signed by another key: said first, so
// the failures that follow from it do not read like tampering.
function bundleKeyMismatch(bundleBytes: Uint8Array, rawKeys: readonly Uint8Array[]): string | undefined {
  let hint: unknown;
  try {
    hint = (JSON.parse(Buffer.from(bundleBytes).toString('utf8')) as { verificationMaterial?: { publicKey?: { hint?: unknown } } })
      .verificationMaterial?.publicKey?.hint;
  } catch {
    return undefined;
  }
  const given = rawKeys.map(spkiSha256);
  if (typeof hint !== 'string' || given.includes(hint)) return undefined;
  return `signed by key ${hint}, not by the key given (${given.join(', ') || 'none'})`;
}
