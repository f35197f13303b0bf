import { randomBytes } from 'node:crypto';
import { isPlainObject } from '@evidence-ledger/core';

/**
 * An integer from a foreign JSON document that a 64-bit double cannot hold exactly (beyond
 * 2^53, e.g. 12345678901234567891), kept as the digits it was written with. JSON.parse would
 * round it, and a digest of the rounded value would not match the document its holder has.
 */
export class JsonBigInteger {
  constructor(
    /** The integer as written: an optional "-" and decimal digits without leading zeros. */
    readonly text: string,
  ) {}
}

// 2^53 has 16 digits: a text without 16 digits in a row holds no integer a double would round.
const MAY_HOLD_BIG_INTEGER = /\d{16}/;

/**
 * JSON.parse, except that an integer written without fraction or exponent whose value a
 * double cannot represent exactly becomes a JsonBigInteger with its digits. Every other value
 * is exactly what JSON.parse returns. Throws JSON.parse's SyntaxError for invalid JSON.
 */
export function parseExactJson(text: string): unknown {
  const plain: unknown = JSON.parse(text);
  if (!MAY_HOLD_BIG_INTEGER.test(text)) return plain;
  // Each big integer becomes a string carrying a random marker no document can contain,
  // then the marked strings are swapped for JsonBigIntegers.
  const marker = `\u0000${randomBytes(12).toString('base64url')}:`;
  const marked = markBigIntegers(text, marker);
  return marked === undefined ? plain : unmark(JSON.parse(marked), marker);
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MINUS = 0x2d;
const isNumberChar = (c: number) => (c >= 0x30 && c <= 0x39) || c === MINUS || c === 0x2b || c === 0x2e || c === 0x45 || c === 0x65;

// One pass over a valid JSON text (a loop, not a regular expression: a string of megabytes
// would overflow a backtracking one): skips strings, and turns each number token outside them
// that is a big integer into a marked string. Undefined when there is none.
function markBigIntegers(text: string, marker: string): string | undefined {
  const parts: string[] = [];
  let copied = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      for (i++; text.charCodeAt(i) !== QUOTE; i++) if (text.charCodeAt(i) === BACKSLASH) i++;
    } else if (c === MINUS || (c >= 0x30 && c <= 0x39)) {
      let end = i + 1;
      while (end < text.length && isNumberChar(text.charCodeAt(end))) end++;
      const token = end - i > 15 ? text.slice(i, end) : undefined; // 15 digits or fewer: always exact
      if (token !== undefined && !isExactDouble(token)) {
        // The marker's NUL is escaped as JSON requires; the rest of it needs no escaping.
        parts.push(text.slice(copied, i), `"\\u0000${marker.slice(1)}${token}"`);
        copied = end;
      }
      i = end - 1;
    }
  }
  if (copied === 0) return undefined;
  parts.push(text.slice(copied));
  return parts.join('');
}

function isExactDouble(token: string): boolean {
  if (/[.eE]/.test(token)) return true; // not an integer literal: RFC 8785 number semantics apply
  if (token.replace('-', '').length <= 15) return true;
  const n = Number(token);
  return Number.isFinite(n) && BigInt(n).toString() === token;
}

// Iterative, so a deeply nested document cannot overflow the stack here.
function unmark(root: unknown, marker: string): unknown {
  const swap = (v: unknown) => (typeof v === 'string' && v.startsWith(marker) ? new JsonBigInteger(v.slice(marker.length)) : v);
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const node = pending.pop();
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        node[i] = swap(node[i]);
        pending.push(node[i]);
      }
    } else if (isPlainObject(node) && !(node instanceof JsonBigInteger)) {
      for (const key of Object.keys(node)) {
        node[key] = swap(node[key]);
        pending.push(node[key]);
      }
    }
  }
  return swap(root);
}

/**
 * RFC 8785 (JCS) canonical JSON, with one extension for what RFC 8785 cannot express: a
 * JsonBigInteger is written as its digits. For a value without one, the result is exactly
 * RFC 8785's. Throws RangeError when the value is nested too deeply to serialize.
 */
export function exactCanonicalJson(value: unknown): string {
  if (value instanceof JsonBigInteger) return value.text;
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('a non-finite number has no JSON representation');
    // RFC 8785 §3.2.2.3: ECMAScript's Number serialization, which JSON.stringify performs.
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : exactCanonicalJson(v))).join(',')}]`;
  if (isPlainObject(value)) {
    // RFC 8785 §3.2.3: members sorted by the UTF-16 code units of their names, which is
    // what Array.prototype.sort compares.
    const members = Object.keys(value)
      .filter((k) => value[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${exactCanonicalJson(value[k])}`);
    return `{${members.join(',')}}`;
  }
  throw new TypeError(`a ${typeof value} has no JSON representation`);
}
