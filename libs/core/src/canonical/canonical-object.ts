import { canonicalJson } from './canonical-json';

/**
 * A JSON object split into its RFC 8785 members (`"key":value`, each already canonical),
 * sorted by key. Lets the expensive canonicalization of an event happen before it is
 * sequenced, and the server-assigned fields (sequence, time…) be merged in afterwards in
 * O(members) — producing exactly the bytes `canonicalJson(whole object)` would.
 */
export class CanonicalObject {
  private constructor(
    private readonly keys: readonly string[],
    private readonly members: readonly string[],
  ) {}

  static of(object: Readonly<Record<string, unknown>>): CanonicalObject {
    // RFC 8785 §3.2.3: sort by UTF-16 code units, which is JavaScript's default string order.
    const keys = Object.keys(object)
      .filter((k) => object[k] !== undefined)
      .sort();
    return new CanonicalObject(
      keys,
      keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(object[k])}`),
    );
  }

  /** Serialized size of this object alone, in UTF-8 bytes. */
  byteLength(): number {
    return Buffer.byteLength(`{${this.members.join(',')}}`, 'utf8');
  }

  has(key: string): boolean {
    return this.keys.includes(key);
  }

  // The canonical bytes of this object with `extra` members added. Keys of `extra` must not
  // already be present: an entry's server fields never override what a producer sent.
  withMembers(extra: Readonly<Record<string, unknown>>): Buffer {
    const extraKeys = Object.keys(extra).sort();
    const parts: string[] = [];
    let i = 0;
    for (const key of extraKeys) {
      while (i < this.keys.length && this.keys[i] < key) parts.push(this.members[i++]);
      if (this.keys[i] === key) throw new Error(`member "${key}" is already present`);
      parts.push(`${JSON.stringify(key)}:${canonicalJson(extra[key])}`);
    }
    while (i < this.keys.length) parts.push(this.members[i++]);
    return Buffer.from(`{${parts.join(',')}}`, 'utf8');
  }
}
