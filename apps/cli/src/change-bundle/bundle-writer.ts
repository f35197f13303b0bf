import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { canonicalJson, sha256 } from '@evidence-ledger/core';
import { CliError } from '../cli-error';
import {
  BUNDLE_FILES,
  BUNDLE_FORMAT,
  BundleEntryLine,
  BundleManifest,
  ChangeEvidence,
  ChangeVerification,
  isZipPath,
} from '@evidence-ledger/verify';
import { zipBundle } from './bundle-zip';

// Writes a verified change's bundle: a directory, or one zip file when the path ends in
// .zip. The files are written into a temporary directory (or file) beside the target, which is renamed into place only when complete: a failure
// never leaves half a bundle under the real name.
export async function writeChangeBundle(
  path: string,
  evidence: ChangeEvidence,
  verification: ChangeVerification,
  timeline: string,
  options: { replace: boolean },
): Promise<void> {
  if (!verification.ok || !verification.checkpoint || !verification.state || evidence.checkpoint === undefined) {
    throw new CliError('INPUT_INVALID', 'the evidence did not verify; no bundle was written');
  }
  const exists = await fs.lstat(path).then(
    () => true,
    () => false,
  );
  if (exists && !options.replace) throw new CliError('USAGE', `${path} already exists; pass --force to replace it`);
  const entries = evidence.steps.map((s) => {
    const e = s.evidence!;
    const line: BundleEntryLine = {
      sequence: s.sequence,
      recordedAt: s.recordedAt,
      ...(s.time === undefined ? {} : { time: s.time }),
      canonical: e.canonical,
      leafHash: e.leafHash,
      proof: e.proof,
    };
    return JSON.stringify(line);
  });
  const files: Record<string, string> = {
    [BUNDLE_FILES.checkpoint]: evidence.checkpoint,
    [BUNDLE_FILES.entries]: entries.map((l) => `${l}\n`).join(''),
    [BUNDLE_FILES.state]: `${canonicalJson(verification.state)}\n`,
    [BUNDLE_FILES.exceptions]: `${JSON.stringify(evidence.exceptions, null, 2)}\n`,
    [BUNDLE_FILES.timeline]: timeline,
  };
  const manifest: BundleManifest = {
    format: BUNDLE_FORMAT,
    changeId: evidence.changeId,
    ...(evidence.asOf ? { asOf: evidence.asOf } : {}),
    origin: verification.checkpoint.origin,
    treeSize: verification.checkpoint.treeSize,
    rootHash: verification.checkpoint.rootHash,
    steps: evidence.steps.length,
    files: Object.fromEntries(Object.entries(files).map(([name, text]) => [name, sha256(Buffer.from(text, 'utf8')).toString('hex')])),
    exportedAt: new Date().toISOString(),
  };
  files[BUNDLE_FILES.manifest] = `${JSON.stringify(manifest, null, 2)}\n`;

  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    if (isZipPath(path)) {
      await fs.writeFile(temp, zipBundle(files), { flag: 'wx', mode: 0o600 });
    } else {
      await fs.mkdir(temp, { mode: 0o700 });
      for (const [name, text] of Object.entries(files)) await fs.writeFile(join(temp, name), text, { flag: 'wx', mode: 0o600 });
    }
    if (exists) await fs.rm(path, { recursive: true, force: true });
    await fs.rename(temp, path);
  } catch (cause) {
    await fs.rm(temp, { recursive: true, force: true });
    throw new CliError('INPUT_UNAVAILABLE', `cannot write the bundle ${path}`, { cause });
  }
}
