import { CanonicalObject, PreparedEvent, SERVER_FIELDS } from '@evidence-ledger/core';

// True when a retried event carries exactly what the stored entry recorded from its
// producer: the stored body minus the server's fields, compared in canonical form.
// Runs only for ids already in the log, never on the hot path.
export function sameEvent(storedCanonical: Buffer, retried: PreparedEvent): boolean {
  const stored = JSON.parse(storedCanonical.toString('utf8')) as Record<string, unknown>;
  for (const field of SERVER_FIELDS) delete stored[field];
  return CanonicalObject.of(stored).toBuffer().equals(retried.body.toBuffer());
}

export function samePrepared(a: PreparedEvent, b: PreparedEvent): boolean {
  return a.body.toBuffer().equals(b.body.toBuffer());
}
