import { FieldViolation, Receipt } from '@evidence-ledger/core';
import { AppendedEvent } from '@evidence-ledger/ledger';

/** A foreign item the adapter deliberately did not record, and why (never its content). */
export interface IgnoredItem {
  /** Position in the foreign batch (OPA), absent for a single delivery (GitHub). */
  readonly index?: number;
  readonly reason: string;
  /** For a malformed item: each field at fault, by its place in the foreign batch (`[3].decision_id`). */
  readonly errors?: FieldViolation[];
}

/** What an adapter answers: a receipt per recorded event, and what it passed over. */
export interface IngestReply {
  readonly receipts: Receipt[];
  readonly ignored: IgnoredItem[];
}

// 201 when anything was written, 200 when every event was already recorded (a redelivery),
// 202 when the request held nothing the ledger records.
export function replyStatus(appended: readonly AppendedEvent[]): 200 | 201 | 202 {
  if (appended.length === 0) return 202;
  return appended.every((a) => a.duplicate) ? 200 : 201;
}

export function ingestReply(appended: readonly AppendedEvent[], ignored: IgnoredItem[]): IngestReply {
  return { receipts: appended.map((a) => a.receipt), ignored };
}
