import { EXCEPTION_RESPONSE_TYPE, projectEntry, ProjectedEntry, responseOf, verifyInclusion } from '@evidence-ledger/core';
import { PACK_FILES, PackManifest, RESPONSE_PROOFS_FORMAT, ResponseProofs } from './pack-format';
import { decodeBase64 } from './range-proof';

/**
 * Reads the management responses a pack carries from after its period (up to its checkpoint):
 * each line of `responses-after-period.jsonl` must be an `exception.response.recorded` entry of
 * the tenant recorded after the period, past the entries of `events.jsonl`, in sequence order,
 * and leaf `sequence` of the signed tree by its inclusion proof. Returns the entries that hold;
 * every problem goes to `fail`.
 */
export function responsesAfterPeriod(
  files: Readonly<Record<string, Uint8Array>>,
  manifest: PackManifest,
  eventsEnd: number,
  signedRoot: Uint8Array | undefined,
  fail: (where: string, message: string) => void,
): ProjectedEntry[] {
  const lines = files[PACK_FILES.responsesAfterPeriod];
  const proofBytes = files[PACK_FILES.responseProofs];
  if (lines === undefined && proofBytes === undefined) return [];
  if (lines === undefined || proofBytes === undefined) {
    fail(
      lines === undefined ? PACK_FILES.responsesAfterPeriod : PACK_FILES.responseProofs,
      'missing: the pack carries only one of the two',
    );
    return [];
  }
  let proofs: ResponseProofs;
  try {
    proofs = JSON.parse(Buffer.from(proofBytes).toString('utf8')) as ResponseProofs;
    if (proofs.format !== RESPONSE_PROOFS_FORMAT || !Array.isArray(proofs.proofs)) throw new Error(`not ${RESPONSE_PROOFS_FORMAT}`);
    if (proofs.treeSize !== manifest.checkpoint.treeSize)
      throw new Error(`its tree size is not the checkpoint's (${manifest.checkpoint.treeSize})`);
  } catch (e) {
    fail(PACK_FILES.responseProofs, (e as Error).message);
    return [];
  }
  const text = Buffer.from(lines).toString('utf8');
  const rows = text === '' ? [] : text.replace(/\n$/, '').split('\n');
  if (rows.length !== proofs.proofs.length) {
    fail(PACK_FILES.responseProofs, `it holds ${proofs.proofs.length} proofs for ${rows.length} entries`);
    return [];
  }
  const entries: ProjectedEntry[] = [];
  let previous = eventsEnd - 1;
  rows.forEach((row, i) => {
    const { sequence, hashes } = proofs.proofs[i];
    const where = `${PACK_FILES.responsesAfterPeriod} line ${i + 1} (sequence ${sequence})`;
    const bytes = Buffer.from(row, 'utf8');
    try {
      if (!Number.isSafeInteger(sequence) || sequence <= previous || sequence >= proofs.treeSize)
        throw new Error(`its sequence is not after the entries before it and inside the tree of ${proofs.treeSize}`);
      previous = sequence;
      const entry = projectEntry(sequence, bytes);
      const body = JSON.parse(row) as { tenant?: unknown };
      if (body.tenant !== manifest.tenant) throw new Error(`the entry belongs to tenant ${String(body.tenant)}, not ${manifest.tenant}`);
      if (entry.type !== EXCEPTION_RESPONSE_TYPE || !responseOf(entry))
        throw new Error(`not a management response (${EXCEPTION_RESPONSE_TYPE} from a governance role)`);
      if (entry.recordedAt < manifest.period.to) throw new Error('it was recorded in the period, not after it');
      const proof = { leafIndex: sequence, treeSize: proofs.treeSize, hashes: hashes.map((h) => decodeBase64(h) ?? new Uint8Array()) };
      if (signedRoot === undefined || !verifyInclusion(proof, bytes, signedRoot))
        throw new Error('its inclusion proof does not lead to the signed root');
      entries.push(entry);
    } catch (e) {
      fail(where, (e as Error).message);
    }
  });
  return entries;
}
