import canonicalize from 'canonicalize';

// RFC 8785 (JCS) serialization: sorted keys (UTF-16 code units), ECMAScript number form,
// minimal string escaping. `canonicalize` is the RFC authors' reference implementation and
// the fastest correct one measured here (see docs/benchmarks.md).
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('value has no JSON representation');
  return text;
}

export function canonicalBytes(value: unknown): Buffer {
  return Buffer.from(canonicalJson(value), 'utf8');
}
