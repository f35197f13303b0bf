// Where segments and their claims live in an archive: keys that sort in log order.

/** Where a tenant's segments live in the archive. */
export function segmentPrefix(tenant: string): string {
  return `segments/${tenant}/`;
}

const SEQUENCE_DIGITS = 16;

// `segments/<tenant>/<from>-<to>.jsonl`, both zero-padded to 16 digits (every safe integer),
// so keys sort in log order.
export function segmentKey(tenant: string, from: number, to: number): string {
  return `${segmentPrefix(tenant)}${pad(from)}-${pad(to)}.jsonl`;
}

/** Where the claim deciding the end of the segment starting at `from` is written. */
export function segmentClaimKey(tenant: string, from: number): string {
  return `claims/segments/${tenant}/${pad(from)}.json`;
}

/** What a segment key says; undefined for a key that is not a segment's. */
export interface SegmentRef {
  readonly key: string;
  readonly tenant: string;
  readonly from: number;
  readonly to: number;
}

const KEY = /^segments\/([a-z0-9-]{1,63})\/(\d{16})-(\d{16})\.jsonl$/;

export function parseSegmentKey(key: string): SegmentRef | undefined {
  const m = KEY.exec(key);
  if (!m) return undefined;
  const from = Number(m[2]);
  const to = Number(m[3]);
  if (!Number.isSafeInteger(to) || from >= to) return undefined;
  return { key, tenant: m[1], from, to };
}

function pad(n: number): string {
  return String(n).padStart(SEQUENCE_DIGITS, '0');
}
