import { frontierNodes, HASH_SIZE, TENANT_NAME } from '@evidence-ledger/core';
import { strictBase64 } from '../log-export/log-lines';
import { SEGMENT_FORMAT, SegmentHeader } from './segment-format';

// The header, with every field's type and shape checked; the reason when it is not one.
export function parseSegmentHeader(text: string): SegmentHeader | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'line 1 is not JSON';
  }
  const h = value as Record<string, unknown> | null;
  if (typeof h !== 'object' || h === null || h.format !== SEGMENT_FORMAT) return `line 1 is not a "${SEGMENT_FORMAT}" header`;
  if (typeof h.tenant !== 'string' || !TENANT_NAME.test(h.tenant)) return 'the header names no valid tenant';
  if (typeof h.origin !== 'string' || h.origin === '') return 'the header names no origin';
  if (!isSize(h.from) || !isSize(h.to) || h.from >= h.to) return 'the header needs sizes 0 ≤ from < to';
  if (typeof h.sealedAt !== 'string') return 'the header has no sealedAt time';
  const start = h.start as Record<string, unknown> | undefined;
  if (typeof start !== 'object' || start === null) return 'the header has no start';
  if (typeof strictBase64(start.chainHash, 'start.chainHash', HASH_SIZE) === 'string')
    return 'start.chainHash is not a base64 SHA-256 hash';
  const frontierSize = frontierNodes(h.from).length;
  if (!hashList(start.frontier) || start.frontier.length !== frontierSize) {
    return `start.frontier must hold the ${frontierSize} base64 hashes of a tree of ${h.from} leaves`;
  }
  if (!hashList(h.consistencyProof)) return 'consistencyProof is not a list of base64 SHA-256 hashes';
  return h as unknown as SegmentHeader;
}

export function decodeHashes(hashes: readonly string[]): Buffer[] {
  return hashes.map((h) => Buffer.from(h, 'base64'));
}

function hashList(value: unknown): value is string[] {
  return Array.isArray(value) && value.length <= 128 && value.every((h) => typeof strictBase64(h, 'hash', HASH_SIZE) !== 'string');
}

function isSize(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
}
