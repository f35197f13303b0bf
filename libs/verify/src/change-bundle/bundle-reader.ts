import { promises as fs } from 'node:fs';
import { ChangeState, ExceptionDoc, projectEntry, ProvenStep, replayChange, sha256 } from '@evidence-ledger/core';
import { CliError } from '../command/cli-error';
import { ChangeEvidence } from './change-evidence';
import { BUNDLE_FILES, BUNDLE_FORMAT, BundleEntryLine, BundleManifest, LEGACY_BUNDLE_FORMAT } from './bundle-format';
import { BundleFiles, directoryFiles, isZipPath, zipFiles } from './bundle-files';

/** A bundle as read from disk, and the problems found before any proof was checked. */
export interface ReadBundle {
  readonly manifest: BundleManifest;
  readonly evidence?: ChangeEvidence;
  readonly failures: string[];
}

// Reads a bundle (a directory or a .zip): the manifest first (a directory that is not a bundle at all is a
// usage error, exit 2), then every file it lists, each checked against its SHA-256; a file
// that is missing, altered or malformed is a failure naming the file (and line).
export async function readChangeBundle(path: string): Promise<ReadBundle> {
  const stat = await fs.stat(path).catch((cause) => {
    throw new CliError('INPUT_UNAVAILABLE', `cannot read ${path}`, { cause });
  });
  let read: BundleFiles;
  if (stat.isDirectory()) read = directoryFiles(path);
  else if (stat.isFile() && isZipPath(path)) read = zipFiles(path, await fs.readFile(path));
  else throw new CliError('INPUT_INVALID', `${path} is neither a change bundle directory nor a .zip bundle`);
  let manifest: BundleManifest;
  try {
    const bytes = await read(BUNDLE_FILES.manifest);
    if (bytes === undefined) throw new Error('missing');
    manifest = JSON.parse(bytes.toString('utf8')) as BundleManifest;
  } catch (cause) {
    throw new CliError('INPUT_INVALID', `${path} is not a change bundle: ${BUNDLE_FILES.manifest} is missing or not JSON`, { cause });
  }
  if (manifest?.format !== BUNDLE_FORMAT && manifest?.format !== LEGACY_BUNDLE_FORMAT)
    throw new CliError('INPUT_INVALID', `${path} is not a "${BUNDLE_FORMAT}" (or v1) bundle`);
  const failures: string[] = [];
  // A zip holds only what its manifest lists: anything else is refused by its header, never unpacked.
  for (const { name, size } of read.entries ?? [])
    if (name !== BUNDLE_FILES.manifest && !Object.hasOwn(manifest.files ?? {}, name))
      failures.push(`${name}: not listed in the manifest; refused without unpacking it (it declares ${size} bytes)`);
  const text = new Map<string, string>();
  for (const name of [BUNDLE_FILES.checkpoint, BUNDLE_FILES.entries, BUNDLE_FILES.state, BUNDLE_FILES.exceptions]) {
    const expected = manifest.files?.[name];
    const bytes = await read(name);
    if (bytes === undefined) failures.push(`${name}: missing`);
    else if (typeof expected !== 'string') failures.push(`${name}: not listed in the manifest`);
    else if (sha256(bytes).toString('hex') !== expected)
      failures.push(`${name}: its SHA-256 differs from the manifest's — the file was altered`);
    if (bytes !== undefined) text.set(name, bytes.toString('utf8'));
  }
  const timeline = manifest.files?.[BUNDLE_FILES.timeline];
  if (timeline !== undefined) {
    const bytes = await read(BUNDLE_FILES.timeline);
    if (!bytes || sha256(bytes).toString('hex') !== timeline) failures.push(`${BUNDLE_FILES.timeline}: missing or altered`);
  }
  const lines = parseEntries(text.get(BUNDLE_FILES.entries) ?? '', failures);
  const state = parseJson<ChangeState>(text.get(BUNDLE_FILES.state), BUNDLE_FILES.state, failures);
  const exceptions = parseJson<ExceptionDoc[]>(text.get(BUNDLE_FILES.exceptions), BUNDLE_FILES.exceptions, failures) ?? [];
  if (lines === undefined || state === undefined || typeof manifest.changeId !== 'string') return { manifest, failures };
  return {
    manifest,
    failures,
    evidence: {
      changeId: manifest.changeId,
      asOf: manifest.asOf,
      checkpoint: text.get(BUNDLE_FILES.checkpoint),
      steps: toSteps(manifest.changeId, lines, failures),
      state,
      exceptions,
    },
  };
}

function parseEntries(text: string, failures: string[]): BundleEntryLine[] | undefined {
  const lines: BundleEntryLine[] = [];
  const rows = text.split('\n');
  if (rows.at(-1) === '') rows.pop();
  for (const [i, row] of rows.entries()) {
    try {
      const line = JSON.parse(row) as BundleEntryLine;
      if (
        !Number.isSafeInteger(line.sequence) ||
        typeof line.canonical !== 'string' ||
        typeof line.leafHash !== 'string' ||
        !Array.isArray(line.proof?.hashes)
      )
        throw new Error('not an entry line');
      lines.push(line);
    } catch {
      failures.push(`${BUNDLE_FILES.entries} line ${i + 1}: not an entry line`);
      return undefined;
    }
  }
  return lines;
}

// Steps are derived from the entries themselves (the bundle stores no description to trust),
// by replaying them in order; an entry that does not even parse leaves bare steps, and the
// verifier names its sequence.
function toSteps(changeId: string, lines: BundleEntryLine[], failures: string[]): ProvenStep[] {
  const evidence = (line: BundleEntryLine) => ({ canonical: line.canonical, leafHash: line.leafHash, proof: line.proof });
  try {
    const entries = lines.map((line) => projectEntry(line.sequence, Buffer.from(line.canonical, 'base64')));
    const steps = replayChange(changeId, entries).steps;
    // The clocks a line shows beside the bytes must be the bytes' own.
    steps.forEach((step, i) => {
      const line = lines[i];
      if ((line.recordedAt !== undefined && line.recordedAt !== step.recordedAt) || (line.time ?? step.time) !== step.time)
        failures.push(`${BUNDLE_FILES.entries} line ${i + 1}: its clocks differ from the entry's bytes`);
    });
    return steps.map((step, i) => ({ ...step, evidence: evidence(lines[i]) }));
  } catch (e) {
    failures.push(`${BUNDLE_FILES.entries}: ${(e as Error).message}`);
    return lines.map((line) => ({
      sequence: line.sequence,
      eventId: '',
      type: '',
      recordedAt: line.recordedAt ?? '',
      ...(line.time === undefined ? {} : { time: line.time }),
      source: '',
      summary: '',
      evidence: evidence(line),
    }));
  }
}

function parseJson<T>(text: string | undefined, name: string, failures: string[]): T | undefined {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    failures.push(`${name}: not JSON`);
    return undefined;
  }
}
