import { canonicalJson } from './canonical-json';

/**
 * A JSON object in RFC 8785 form with named gaps ("slots") left for members to be added
 * later. The expensive canonicalization of an event happens once, before it is sequenced;
 * filling the slots with the server-assigned fields (sequence, time…) is string
 * concatenation — and yields exactly the bytes `canonicalJson(whole object)` would.
 *
 * RFC 8785 §3.2.3 sorts members by UTF-16 code units, so the members falling between two
 * slot keys form one contiguous run: each run is canonicalized as its own object and kept as
 * a segment, and the slots go between the segments.
 */
export class CanonicalObject {
  private constructor(
    /** The slot keys, sorted. */
    private readonly slots: readonly string[],
    /** slots.length + 1 runs of `"key":value` members (without braces), possibly empty. */
    private readonly segments: readonly string[],
  ) {}

  static of(object: Readonly<Record<string, unknown>>, slotKeys: readonly string[] = []): CanonicalObject {
    const slots = [...slotKeys].sort();
    const runs: Record<string, unknown>[] = slots.map(() => ({}));
    runs.push({});
    for (const key of Object.keys(object)) {
      if (object[key] === undefined) continue;
      let run = 0;
      while (run < slots.length && slots[run] < key) run++;
      if (slots[run] === key) throw new Error(`member "${key}" is already present`);
      runs[run][key] = object[key];
    }
    return new CanonicalObject(
      slots,
      runs.map((r) => canonicalJson(r).slice(1, -1)),
    );
  }

  /**
   * The object back from `toSegments()` of one made with the same slot keys — how a
   * canonical form computed on another thread crosses over. Only the shape is checked: the
   * segments are trusted to be what `of` produced.
   */
  static fromSegments(slotKeys: readonly string[], segments: readonly string[]): CanonicalObject {
    if (segments.length !== slotKeys.length + 1 || !segments.every((s) => typeof s === 'string')) {
      throw new Error(`expected ${slotKeys.length + 1} canonical segments`);
    }
    return new CanonicalObject([...slotKeys].sort(), [...segments]);
  }

  /** The canonical runs between the slots, for `fromSegments`. */
  toSegments(): string[] {
    return [...this.segments];
  }

  /** UTF-8 size of the object alone, without its slots. */
  byteLength(): number {
    return this.segments.reduce((n, s) => n + Buffer.byteLength(s, 'utf8'), 2 + Math.max(0, this.segments.filter(Boolean).length - 1));
  }

  /** The object alone: its canonical bytes as if it had no slots. */
  toBuffer(): Buffer {
    return Buffer.from(`{${this.segments.filter(Boolean).join(',')}}`, 'utf8');
  }

  // The canonical bytes with every slot filled. `values` must name exactly the slot keys;
  // an entry's server fields never override (nor omit) anything.
  withMembers(values: Readonly<Record<string, unknown>>): Buffer {
    let out = '{';
    let first = true;
    const add = (part: string) => {
      if (part.length === 0) return;
      out += first ? part : `,${part}`;
      first = false;
    };
    add(this.segments[0]);
    for (let i = 0; i < this.slots.length; i++) {
      const key = this.slots[i];
      const value = values[key];
      if (value === undefined) throw new Error(`slot "${key}" is not filled`);
      // RFC 8785 serializes strings and finite numbers exactly as JSON.stringify does.
      add(`${JSON.stringify(key)}:${typeof value === 'object' ? canonicalJson(value) : JSON.stringify(value)}`);
      add(this.segments[i + 1]);
    }
    if (Object.keys(values).length !== this.slots.length) throw new Error('values name members that have no slot');
    return Buffer.from(`${out}}`, 'utf8');
  }
}
