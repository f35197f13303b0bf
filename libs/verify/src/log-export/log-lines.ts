import { decodeBase64, HASH_SIZE } from '@evidence-ledger/core';

/**
 * The JSON lines a log is written out as — by the offline export (docs/log-export-format.md)
 * and by sealed archive segments (docs/archive.md): one line per entry in sequence order, each
 * signed checkpoint on the line after the entry that completes it. Byte strings are standard
 * base64 (RFC 4648 §4). Only the entry bytes and the checkpoint signatures are trusted by a
 * verifier; the stored hashes are there to be compared.
 */
export interface LogEntryLine {
  readonly sequence: number;
  /** The exact stored RFC 8785 bytes of the entry, the bytes that were hashed. */
  readonly canonical: string;
  /** RFC 6962 leaf hash as stored: SHA-256(0x00 ‖ bytes). */
  readonly leafHash: string;
  /** Chain hash as stored: SHA-256(previous chain hash ‖ leaf hash). */
  readonly chainHash: string;
}

/** A checkpoint line: the C2SP signed note, verbatim. */
export interface LogCheckpointLine {
  readonly checkpoint: string;
}

export type ParsedLogLine =
  { kind: 'entry'; sequence: number; canonical: Buffer; leafHash: Buffer; chainHash: Buffer } | { kind: 'checkpoint'; note: string };

export function entryLine(e: { sequence: number; canonical: Buffer; leafHash: Buffer; chainHash: Buffer }): string {
  const line: LogEntryLine = {
    sequence: e.sequence,
    canonical: e.canonical.toString('base64'),
    leafHash: e.leafHash.toString('base64'),
    chainHash: e.chainHash.toString('base64'),
  };
  return JSON.stringify(line);
}

export function checkpointLine(note: string): string {
  const line: LogCheckpointLine = { checkpoint: note };
  return JSON.stringify(line);
}

// An entry or a checkpoint line, or why the line is neither.
export function parseLogLine(text: string): ParsedLogLine | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'not valid JSON';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const line = value as Record<string, unknown>;
  if ('checkpoint' in line) {
    return typeof line.checkpoint === 'string' ? { kind: 'checkpoint', note: line.checkpoint } : 'the checkpoint is not a string';
  }
  if (!('sequence' in line)) return 'neither an entry nor a checkpoint';
  const { sequence } = line;
  if (typeof sequence !== 'number' || !Number.isSafeInteger(sequence) || sequence < 0) return 'the sequence is not a non-negative integer';
  const canonical = strictBase64(line.canonical, 'canonical');
  const leafHash = strictBase64(line.leafHash, 'leafHash', HASH_SIZE);
  const chainHash = strictBase64(line.chainHash, 'chainHash', HASH_SIZE);
  for (const field of [canonical, leafHash, chainHash]) if (typeof field === 'string') return field;
  return { kind: 'entry', sequence, canonical: canonical as Buffer, leafHash: leafHash as Buffer, chainHash: chainHash as Buffer };
}

// Strict standard base64 (RFC 4648 §4, the core's decoder) of `size` bytes if given, or why
// `text` is not, in words a log line's reader can act on.
export function strictBase64(text: unknown, name: string, size?: number): Buffer | string {
  if (typeof text !== 'string') return `${name} is missing`;
  const decoded = decodeBase64(text);
  if (decoded === undefined) return `${name} is not standard base64`;
  const bytes = Buffer.from(decoded.buffer, decoded.byteOffset, decoded.byteLength);
  if (size !== undefined && bytes.length !== size) return `${name} is ${bytes.length} bytes, expected ${size}`;
  return bytes;
}
