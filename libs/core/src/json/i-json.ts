import { FieldViolation, InvalidEventError } from '../errors/ledger-error';

/** What one JSON text may carry, checked on the raw text before anything is built from it. */
export interface IJsonLimits {
  /** Deepest nesting of objects and arrays; the outermost counts as 1. */
  readonly maxDepth: number;
  /**
   * Events inside the text whose canonical JSON could not fit in `maxCanonicalBytes` are
   * refused before parsing. `items: 'whole'`: the text is one event; `'each'`: each element
   * of a top-level array is one (or the whole text, when it is not an array).
   */
  readonly events?: { readonly maxCanonicalBytes: number; readonly items: 'whole' | 'each' };
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;
const LETTER_U = 0x75;

// `ignoreBOM` keeps a byte-order mark in the text, where JSON.parse refuses it (RFC 8259 §8.1).
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Parses a request body as I-JSON (RFC 7493): UTF-8 that decodes without replacement, no
 * lone surrogates (§2.1), no repeated member names (§2.3), nesting within `limits`. Throws
 * `InvalidEventError` (`INVALID_JSON`, or `EVENT_TOO_LARGE`) naming where the text is at fault.
 * `parse` builds the value from the checked text: JSON.parse, or a parser that differs only
 * in how it represents numbers (its objects and arrays must be JSON.parse's).
 */
export function parseIJson(bytes: Uint8Array, limits: IJsonLimits, parse: (text: string) => unknown = JSON.parse): unknown {
  // The scan bounds the work before anything is decoded or built; it counts member names so
  // that a repeat (which JSON.parse resolves silently, last one wins) shows as a shortfall.
  const scan = new StructureScan(bytes, limits).run();
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    throw invalid('the request body is not valid UTF-8 (I-JSON, RFC 7493 §2.1)', {
      path: '$',
      message: 'holds a byte sequence that is not UTF-8',
    });
  }
  let value: unknown;
  try {
    value = parse(text);
  } catch (e) {
    throw invalid(`the request body is not valid JSON: ${(e as Error).message}`, { path: '$', message: (e as Error).message });
  }
  if (scan.loneSurrogate || memberCount(value) !== scan.members) {
    const found = locateIJsonViolation(text, scan.loneSurrogate);
    if (found) throw invalid(`the request body is not I-JSON (RFC 7493): ${found.path} ${found.message}`, found);
  }
  return value;
}

/** The same checks on JSON that is already text (a form field, a header). */
export function parseIJsonText(text: string, limits: IJsonLimits, parse: (text: string) => unknown = JSON.parse): unknown {
  return parseIJson(Buffer.from(text, 'utf8'), limits, parse);
}

function invalid(message: string, violation: FieldViolation): InvalidEventError {
  return new InvalidEventError(message, [violation], 'INVALID_JSON');
}

// One pass over the raw bytes that looks only at structure. UTF-8 never uses an ASCII byte
// inside a multi-byte character, so quotes, brackets and escapes are found byte by byte;
// a typed-array loop costs well under half of JSON.parse, and allocates nothing.
class StructureScan {
  members = 0;
  loneSurrogate = false;
  private readonly eventDepth: number;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly limits: IJsonLimits,
  ) {
    this.eventDepth = limits.events?.items === 'each' && firstStructural(bytes) === OPEN_ARRAY ? 2 : 1;
  }

  run(): this {
    const { bytes, limits, eventDepth } = this;
    const maxEvent = limits.events?.maxCanonicalBytes ?? Infinity;
    const n = bytes.length;
    let depth = 0;
    // A floor on the event's canonical size: RFC 8785 keeps every bracket, comma and colon,
    // and two quotes per string; numbers and literals only add to it.
    let floor = 0;
    let event = 0;
    for (let i = 0; i < n; i++) {
      const c = bytes[i];
      if (c === QUOTE) {
        if (depth >= eventDepth) floor += 2;
        i = this.stringEnd(i);
        continue;
      }
      if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
        if (++depth > limits.maxDepth) {
          throw invalid(`the request body is nested deeper than ${limits.maxDepth} levels`, {
            path: '$',
            message: `is nested deeper than ${limits.maxDepth} levels (at byte ${i})`,
          });
        }
        if (depth >= eventDepth) floor++;
      } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
        if (depth >= eventDepth && ++floor > maxEvent) this.tooLarge(event, floor, maxEvent);
        depth--;
      } else if (c === COLON) {
        this.members++;
        if (depth >= eventDepth) floor++;
      } else if (c === COMMA) {
        if (depth >= eventDepth) {
          if (++floor > maxEvent) this.tooLarge(event, floor, maxEvent);
        } else if (depth === eventDepth - 1) {
          floor = 0;
          event++;
        }
      }
    }
    return this;
  }

  // The index of the quote closing the string opened at `start` (or the end of the text: an
  // unterminated string is JSON.parse's to name), noting escapes that encode a lone surrogate.
  private stringEnd(start: number): number {
    const bytes = this.bytes;
    const n = bytes.length;
    let i = start + 1;
    for (; i < n; i++) {
      const c = bytes[i];
      if (c === QUOTE) return i;
      if (c !== BACKSLASH) continue;
      if (bytes[i + 1] !== LETTER_U) {
        i++;
        continue;
      }
      const unit = hex4(bytes, i + 2);
      if (unit >= 0xd800 && unit <= 0xdbff && bytes[i + 6] === BACKSLASH && bytes[i + 7] === LETTER_U) {
        const low = hex4(bytes, i + 8);
        if (low >= 0xdc00 && low <= 0xdfff) {
          i += 11;
          continue;
        }
      }
      if (unit >= 0xd800 && unit <= 0xdfff) this.loneSurrogate = true;
      i += 5;
    }
    return i;
  }

  private tooLarge(event: number, floor: number, max: number): never {
    const path = this.eventDepth === 2 ? `[${event}]` : '$';
    throw new InvalidEventError(
      `an event is at most ${max} bytes of canonical JSON`,
      [{ path, message: `is at least ${floor} bytes of canonical JSON; the limit is ${max}` }],
      'EVENT_TOO_LARGE',
    );
  }
}

function firstStructural(bytes: Uint8Array): number | undefined {
  for (const b of bytes) if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return b;
  return undefined;
}

function hex4(bytes: Uint8Array, at: number): number {
  let v = 0;
  for (let k = at; k < at + 4; k++) {
    const b = bytes[k];
    const d = b >= 0x30 && b <= 0x39 ? b - 0x30 : b >= 0x61 && b <= 0x66 ? b - 0x57 : b >= 0x41 && b <= 0x46 ? b - 0x37 : -1;
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

// Member names in the parsed value; fewer than the text's colons means a name was repeated.
// Only plain objects count (a parser's own number objects are values), and the walk keeps its
// own stack, so no nesting the limits allow can overflow the call stack.
function memberCount(root: unknown): number {
  let n = 0;
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value !== 'object' || value === null) continue;
    if (Array.isArray(value)) {
      for (const v of value) if (typeof v === 'object' && v !== null) pending.push(v);
    } else if (Object.getPrototypeOf(value) === Object.prototype) {
      for (const k in value) {
        n++;
        const v = (value as Record<string, unknown>)[k];
        if (typeof v === 'object' && v !== null) pending.push(v);
      }
    }
  }
  return n;
}

interface Frame {
  /** Member names seen so far; absent for an array. */
  readonly names?: MemberNames;
  name?: string;
  index: number;
}

/**
 * The first repeated member name or lone surrogate in a JSON text, with its path
 * (`[3].data.model`). Slower than the scan (it builds every member name, and every string when
 * `surrogates`): only run once the scan found a problem.
 */
export function locateIJsonViolation(text: string, surrogates = true): FieldViolation | undefined {
  const frames: Frame[] = [];
  let expectName = false;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      let end = i + 1;
      let escaped = false;
      for (let d = text.charCodeAt(end); end < n && d !== QUOTE; d = text.charCodeAt(end)) {
        if (d === BACKSLASH) {
          escaped = true;
          end += 2;
        } else end++;
      }
      const top = frames[frames.length - 1];
      const isName = expectName && top?.names !== undefined;
      if (isName || surrogates) {
        const value = escaped ? (JSON.parse(text.slice(i, end + 1)) as string) : text.slice(i + 1, end);
        if (isName) {
          if (!isWellFormed(value))
            return { path: pathOf(frames), message: 'has a member name with a lone surrogate, which I-JSON forbids' };
          if (top.names!.seen(value)) {
            top.name = value;
            return { path: pathOf(frames), message: 'repeats a member name of its object, which I-JSON forbids' };
          }
          top.name = value;
          expectName = false;
        } else if (!isWellFormed(value)) {
          return { path: pathOf(frames), message: 'holds a lone surrogate (an unpaired \\ud800–\\udfff escape), which I-JSON forbids' };
        }
      }
      i = end + 1;
      continue;
    }
    if (c === OPEN_OBJECT) {
      frames.push({ names: new MemberNames(), index: 0 });
      expectName = true;
    } else if (c === OPEN_ARRAY) {
      frames.push({ index: 0 });
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      frames.pop();
    } else if (c === COMMA) {
      const top = frames[frames.length - 1];
      if (top?.names) expectName = true;
      else if (top) top.index++;
    }
    i++;
  }
  return undefined;
}

// The names of one object: a short list searched in place (most objects have a handful of
// members, and a Set per object would dominate the walk), a Set once it grows.
class MemberNames {
  private list: string[] = [];
  private set?: Set<string>;

  /** Whether `name` was seen before; records it. */
  seen(name: string): boolean {
    if (this.set) return this.set.size === this.set.add(name).size;
    if (this.list.includes(name)) return true;
    this.list.push(name);
    if (this.list.length > 16) this.set = new Set(this.list);
    return false;
  }
}

function pathOf(frames: readonly Frame[]): string {
  const path = frames.map((f) => (f.names ? (f.name === undefined ? '' : `.${f.name}`) : `[${f.index}]`)).join('');
  return (path.startsWith('.') ? path.slice(1) : path) || '$';
}

function isWellFormed(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c > 0xdbff) return false;
    const next = s.charCodeAt(i + 1);
    if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
    i++;
  }
  return true;
}
