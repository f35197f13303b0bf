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

// A string or a number token of a valid JSON text. Scanning from the left, every match
// starting at a quote is a whole string, so a number matched here is never inside a string.
const TOKEN = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;
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
  const marker = `\u0000exact-json:${randomBytes(16).toString('hex')}:`;
  let found = false;
  const marked = text.replace(TOKEN, (token) => {
    if (token.startsWith('"') || isExactDouble(token)) return token;
    found = true;
    return JSON.stringify(`${marker}${token}`);
  });
  return found ? unmark(JSON.parse(marked), marker) : plain;
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
