import { promises as fs } from 'node:fs';
import { NoteError, openCheckpoint, Receipt, rootFromInclusionProof, TrustedNoteKey } from '@evidence-ledger/core';
import { CliError } from '../command/cli-error';
import { CommandIo } from '../command/command-io';
import { EXIT, ExitCode } from '../command/exit-codes';
import { readVerifiers } from '../command/public-key-input';
import { checkReceipts } from './receipt-event-check';

export interface VerifyReceiptOptions {
  readonly publicKey: string;
  readonly event?: string;
  readonly apiKey?: string;
  readonly json?: boolean;
}

/** What checking one receipt found; `problem` is set when it does not hold. */
interface ReceiptResult {
  readonly id: string;
  readonly sequence: number;
  readonly checkpoint?: { readonly origin: string; readonly treeSize: number };
  /** Whether the leaf hash was rebuilt from the posted event (else only proven to be in the log). */
  readonly eventChecked: boolean;
  readonly problem?: string;
}

// Verifies receipts offline with the public key file alone: the signed checkpoint, the inclusion
// proof and, given the event and the API key, the leaf hash; exit 0 only if every receipt holds.
export async function verifyReceiptFile(file: string, options: VerifyReceiptOptions, io: CommandIo): Promise<ExitCode> {
  if ((options.event === undefined) !== (options.apiKey === undefined))
    throw new CliError('USAGE', '--event and --api-key go together: the entry is rebuilt from the event and the key id');
  const trusted = await readVerifiers(options.publicKey);
  const receipts = asList(await readJson(file, 'receipt')).map((r, i) => asReceipt(r, file, i));
  const events = options.event === undefined ? undefined : asList(await readJson(options.event, '--event'));
  if (events && events.length !== receipts.length)
    throw new CliError('INPUT_INVALID', `${options.event} holds ${events.length} event(s) for ${receipts.length} receipt(s)`);
  const eventProblems =
    events && options.apiKey ? checkReceipts(events as Record<string, unknown>[], receipts, options.apiKey, trusted) : undefined;
  const results = receipts.map((receipt, i): ReceiptResult => {
    const proven = checkProof(receipt, trusted);
    const problem = proven.problem ?? eventProblems?.[i].problem;
    return {
      id: receipt.id,
      sequence: receipt.sequence,
      ...(proven.checkpoint ? { checkpoint: proven.checkpoint } : {}),
      eventChecked: eventProblems !== undefined,
      ...(problem ? { problem } : {}),
    };
  });
  const ok = results.every((r) => r.problem === undefined);
  if (options.json) {
    io.out(`${JSON.stringify({ ok, receipts: results }, null, 2)}\n`);
    return ok ? EXIT.OK : EXIT.VERIFICATION_FAILED;
  }
  // A checkpoint signed by another key is said first, so it does not read like tampering.
  const wrongKey = receipts.map((r) => wrongKeyOf(r.checkpoint, trusted)).find((m) => m !== undefined);
  if (wrongKey) io.out(`FAILED: ${wrongKey}\n`);
  for (const r of results) {
    const where = r.checkpoint ? ` in ${r.checkpoint.origin} #${r.checkpoint.treeSize}` : '';
    io.out(
      r.problem
        ? `FAILED  event ${r.id}  sequence ${r.sequence}${where}: ${r.problem}\n`
        : `OK      event ${r.id}  sequence ${r.sequence}${where}: checkpoint signed by the key, inclusion proof leads to its root${r.eventChecked ? ', leaf hash is the event posted' : ''}\n`,
    );
  }
  if (ok && !events) io.out('The leaf hash was not checked against your event: give --event and --api-key for that.\n');
  return ok ? EXIT.OK : EXIT.VERIFICATION_FAILED;
}

// The checkpoint's signature, then the inclusion proof from the receipt's leaf hash to its root.
function checkProof(receipt: Receipt, trusted: readonly TrustedNoteKey[]): Pick<ReceiptResult, 'checkpoint' | 'problem'> {
  let checkpoint;
  try {
    checkpoint = openCheckpoint(receipt.checkpoint, trusted).checkpoint;
  } catch (e) {
    return { problem: `its checkpoint does not verify: ${(e as Error).message}` };
  }
  const signed = { origin: checkpoint.origin, treeSize: checkpoint.treeSize };
  const { leafIndex, treeSize, hashes } = receipt.inclusionProof;
  if (leafIndex !== receipt.sequence || treeSize !== checkpoint.treeSize)
    return {
      checkpoint: signed,
      problem: `its inclusion proof is for leaf ${leafIndex} of ${treeSize}, not entry ${receipt.sequence} of ${checkpoint.treeSize}`,
    };
  const leaf = strictHash(receipt.leafHash);
  const path = hashes.map(strictHash);
  if (!leaf || path.some((h) => h === undefined)) return { checkpoint: signed, problem: 'a hash in it is not standard base64 of 32 bytes' };
  try {
    const root = rootFromInclusionProof({ leafIndex, treeSize, hashes: path as Buffer[] }, leaf);
    if (!Buffer.from(root).equals(Buffer.from(checkpoint.rootHash)))
      return { checkpoint: signed, problem: 'its inclusion proof does not lead from its leaf hash to the checkpoint root' };
  } catch (e) {
    return { checkpoint: signed, problem: `its inclusion proof is malformed: ${(e as Error).message}` };
  }
  return { checkpoint: signed };
}

function wrongKeyOf(note: string, trusted: readonly TrustedNoteKey[]): string | undefined {
  try {
    openCheckpoint(note, trusted);
    return undefined;
  } catch (e) {
    return e instanceof NoteError && e.code === 'NOTE_UNVERIFIED' ? e.message : undefined;
  }
}

async function readJson(file: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (cause) {
    throw new CliError('INPUT_UNAVAILABLE', `${what}: cannot read ${file}`, { cause });
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new CliError('INPUT_INVALID', `${what}: ${file} is not JSON`, { cause });
  }
}

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

// The receipt's wire shape (docs/api.md); anything else is an input error, not a failed check.
function asReceipt(value: unknown, file: string, index: number): Receipt {
  const r = value as Partial<Receipt> | null;
  const proof = r?.inclusionProof;
  const ok =
    typeof r?.id === 'string' &&
    Number.isSafeInteger(r.sequence) &&
    typeof r.leafHash === 'string' &&
    typeof r.checkpoint === 'string' &&
    Number.isSafeInteger(proof?.leafIndex) &&
    Number.isSafeInteger(proof?.treeSize) &&
    Array.isArray(proof?.hashes) &&
    proof.hashes.every((h) => typeof h === 'string');
  if (!ok)
    throw new CliError(
      'INPUT_INVALID',
      `${file}${index > 0 ? ` (item ${index + 1})` : ''} is not a receipt: expected id, sequence, leafHash, checkpoint and inclusionProof`,
    );
  return r as Receipt;
}

function strictHash(text: string): Buffer | undefined {
  const bytes = Buffer.from(text, 'base64');
  return bytes.length === 32 && bytes.toString('base64') === text ? bytes : undefined;
}
