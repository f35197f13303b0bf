import { createHash } from 'node:crypto';
import { canonicalJson } from '@evidence-ledger/core';
import { exactCanonicalJson, JsonBigInteger, parseExactJson } from './exact-json';
import { jsonDigest } from './json-digest';

describe('JSON with exact big integers', () => {
  it('keeps the digits of integers a double would round, and nothing else changes', () => {
    const parsed = parseExactJson(
      '{"id": 12345678901234567891, "neg": -9007199254740993, "safe": 9007199254740991, "pow": 9007199254740992,' +
        ' "s": "12345678901234567891 \\" 99999999999999999999", "f": 12345678901234567891.5, "e": 1e400, "z": -0}',
    ) as Record<string, unknown>;
    expect(parsed.id).toEqual(new JsonBigInteger('12345678901234567891'));
    expect(parsed.neg).toEqual(new JsonBigInteger('-9007199254740993'));
    expect(parsed.safe).toBe(9007199254740991);
    expect(parsed.pow).toBe(9007199254740992); // 2^53 is a double exactly
    expect(parsed.s).toBe('12345678901234567891 " 99999999999999999999');
    expect(parsed.f).toBe(Number('12345678901234567891.5')); // not an integer literal: rounded as RFC 8785 says
    expect(parsed.e).toBe(Infinity);
    expect(Object.is(parsed.z, -0)).toBe(true);
  });

  it('finds big integers at any depth, in arrays and objects', () => {
    expect(parseExactJson('[[{"a": [123456789012345678901]}], 98765432109876543210]')).toEqual([
      [{ a: [new JsonBigInteger('123456789012345678901')] }],
      new JsonBigInteger('98765432109876543210'),
    ]);
    expect(parseExactJson('123456789012345678901')).toEqual(new JsonBigInteger('123456789012345678901'));
  });

  it('cannot be fooled by a string that looks like its internal marker', () => {
    const text = '{"a": "\\u0000exact-json:00:1", "b": 12345678901234567891}';
    expect(parseExactJson(text)).toEqual({ a: '\u0000exact-json:00:1', b: new JsonBigInteger('12345678901234567891') });
  });

  it('scans strings of megabytes, escapes included, without overflowing the stack', () => {
    const long = 'a"\\\n'.repeat(2 * 1024 * 1024);
    const text = `{"s": ${JSON.stringify(long)}, "n": 12345678901234567891}`;
    expect(parseExactJson(text)).toEqual({ s: long, n: new JsonBigInteger('12345678901234567891') });
  });

  it('throws JSON.parse errors for invalid JSON', () => {
    expect(() => parseExactJson('[12345678901234567891,')).toThrow(SyntaxError);
  });

  it('serializes exactly as RFC 8785 when there is no big integer', () => {
    const samples = [
      JSON.parse('{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],"literals":[null,true,false]}'),
      { '\u20ac': 1, '\r': 2, '\ufb33': 3, '1': 4, '\ud83d\ude00': 5, '\u0080': 6, '\u00f6': 7, s: 'a\u000f"\\/\n' },
      [1, 'x', { b: [], a: {} }, -0, 1e21, 9007199254740992, 2 ** 70],
    ];
    for (const s of samples) expect(exactCanonicalJson(s)).toBe(canonicalJson(s));
  });

  it('writes big integers as their digits, so the digest of a document is reproducible from its text', () => {
    const text = '{ "user": "alice", "account": 12345678901234567891, "amount": 1.50 }';
    const canonical = '{"account":12345678901234567891,"amount":1.5,"user":"alice"}';
    expect(exactCanonicalJson(parseExactJson(text))).toBe(canonical);
    expect(jsonDigest(parseExactJson(text))).toBe(`sha256:${createHash('sha256').update(canonical).digest('hex')}`);
    // What JSON.parse alone would digest: a different, rounded account number.
    expect(canonicalJson(JSON.parse(text))).toBe('{"account":12345678901234567000,"amount":1.5,"user":"alice"}');
  });

  it('throws a RangeError for a value nested too deeply, which callers report', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(() => exactCanonicalJson(deep)).toThrow(RangeError);
  });
});
