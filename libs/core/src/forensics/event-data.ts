// Defensive readers for `data` fields. Typed events were validated at the HTTP edge, but a
// projection must never throw on what the log holds (an `x.` event, an event recorded under
// an older catalog): a field that is missing or of the wrong type reads as absent.

export type Data = Readonly<Record<string, unknown>>;

export function str(data: Data, key: string): string | undefined {
  const v = data[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export function num(data: Data, key: string): number | undefined {
  const v = data[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export function bool(data: Data, key: string): boolean | undefined {
  const v = data[key];
  return typeof v === 'boolean' ? v : undefined;
}

export function obj(data: Data, key: string): Data {
  const v = data[key];
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Data) : {};
}

export function strings(data: Data, key: string): string[] {
  const v = data[key];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x !== '') : [];
}

/** A `{kind, id}` principal (requestedBy, mergedBy, triggeredBy, author). */
export interface PrincipalRef {
  readonly kind: string;
  readonly id: string;
}

export function principal(data: Data, key: string): PrincipalRef | undefined {
  const p = obj(data, key);
  const kind = str(p, 'kind');
  const id = str(p, 'id');
  return kind && id ? { kind, id } : undefined;
}
