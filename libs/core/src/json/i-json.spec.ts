import { InvalidEventError } from '../errors/ledger-error';
import { canonicalJson } from '../canonical/canonical-json';
import { parseIJson, parseIJsonText } from './i-json';

const limits = { maxDepth: 8 };

function refusal(run: () => unknown): InvalidEventError {
  try {
    run();
  } catch (e) {
    if (e instanceof InvalidEventError) return e;
    throw e;
  }
  throw new Error('was accepted');
}

describe('I-JSON request bodies (RFC 7493)', () => {
  it('parses what JSON.parse parses, escapes and surrogate pairs included', () => {
    const text = '{"a":[1,2,{"b":"\\u00e9\\ud83d\\ude00\\n\\"x\\\\"}],"c":null,"d":"😀"}';
    expect(parseIJsonText(text, limits)).toEqual(JSON.parse(text));
    expect(parseIJson(Buffer.from(text), limits)).toEqual(JSON.parse(text));
  });

  it('refuses bytes that are not UTF-8 instead of turning them into U+FFFD', () => {
    const bytes = Buffer.concat([Buffer.from('{"source":"urn:'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
    const e = refusal(() => parseIJson(bytes, limits));
    expect(e.code).toBe('INVALID_JSON');
    expect(e.message).toContain('UTF-8');
  });

  it('refuses a UTF-8-encoded surrogate (CESU) byte sequence', () => {
    const bytes = Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')]);
    expect(refusal(() => parseIJson(bytes, limits)).code).toBe('INVALID_JSON');
  });

  it.each([
    ['a lone high surrogate', '{"source":"urn:\\ud800"}', 'source'],
    ['a lone low surrogate', '{"a":[1,"\\udc00x"]}', 'a[1]'],
    ['a high surrogate followed by another high one', '{"a":{"b":"\\ud83d\\ud83d"}}', 'a.b'],
    ['a high surrogate at the end of the string', '["x","\\uD83D"]', '[1]'],
  ])('refuses %s, naming where it is', (_what, text, path) => {
    const e = refusal(() => parseIJsonText(text, limits));
    expect(e.code).toBe('INVALID_JSON');
    expect(e.violations).toEqual([{ path, message: expect.stringContaining('lone surrogate') }]);
  });

  it.each([
    ['at the top', '{"id":"a","source":"s","id":"b"}', 'id'],
    ['inside data', '{"data":{"model":"a","x":{"k":1},"model":"b"}}', 'data.model'],
    ['in the fourth event of a batch', '[{"a":1},{"a":1},{"a":1},{"data":{"a":1,"a":1}}]', '[3].data.a'],
    ['spelled with an escape', '{"ab":1,"\\u0061b":2}', 'ab'],
    ['as __proto__', '{"__proto__":1,"__proto__":2}', '__proto__'],
  ])('refuses a repeated member name %s, naming it', (_what, text, path) => {
    const e = refusal(() => parseIJsonText(text, limits));
    expect(e.code).toBe('INVALID_JSON');
    expect(e.violations).toEqual([{ path, message: expect.stringContaining('repeats a member name') }]);
  });

  it('does not count a colon or brace inside a string as structure', () => {
    const text = '{"a":"x:y{[\\"","b":["]:,"]}';
    expect(parseIJsonText(text, { maxDepth: 2 })).toEqual({ a: 'x:y{["', b: [']:,'] });
  });

  it('refuses nesting deeper than the limit before parsing', () => {
    const deep = `{"sourcePrefix":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    const e = refusal(() => parseIJsonText(deep, { maxDepth: 64 }));
    expect(e.code).toBe('INVALID_JSON');
    expect(e.message).toContain('nested deeper than 64 levels');
    expect(parseIJsonText(`${'['.repeat(64)}${']'.repeat(64)}`, { maxDepth: 64 })).toBeDefined();
  });

  it('walks any nesting its caller allows without exhausting the stack', () => {
    const deep = `${'['.repeat(100_000)}{"a":1,"a":2}${']'.repeat(100_000)}`;
    const e = refusal(() => parseIJsonText(deep, { maxDepth: Infinity }));
    expect(e.violations[0].message).toContain('repeats a member name');
    expect(parseIJsonText(`${'['.repeat(100_000)}${']'.repeat(100_000)}`, { maxDepth: Infinity })).toBeDefined();
  });

  it('builds the value with the parser it is given, checking the same rules', () => {
    class Exact {
      constructor(readonly n: number) {}
    }
    const parse = (text: string) => JSON.parse(text, (_k, v: unknown) => (typeof v === 'number' ? new Exact(v) : v));
    expect(parseIJsonText('{"a":[1]}', limits, parse)).toEqual({ a: [new Exact(1)] });
    expect(refusal(() => parseIJsonText('{"a":1,"a":2}', limits, parse)).code).toBe('INVALID_JSON');
  });

  it('reports malformed JSON as JSON.parse does', () => {
    const e = refusal(() => parseIJsonText('{"a":', limits));
    expect(e.code).toBe('INVALID_JSON');
    expect(e.message).toContain('not valid JSON');
  });

  describe('events that cannot fit', () => {
    const events = { maxCanonicalBytes: 1000, items: 'each' as const };

    it('refuses an event of many small values from its text alone', () => {
      const zeros = `{"data":{"x":[${Array(2000).fill(0).join(',')}]}}`;
      const e = refusal(() => parseIJsonText(`[{"a":1},${zeros}]`, { maxDepth: 8, events }));
      expect(e.code).toBe('EVENT_TOO_LARGE');
      expect(e.violations[0].path).toBe('[1]');
      expect(refusal(() => parseIJsonText(zeros, { maxDepth: 8, events })).violations[0].path).toBe('$');
    });

    it('never refuses an event whose canonical form fits, however it is spaced', () => {
      const event = { data: { x: Array.from({ length: 200 }, (_, i) => i % 2), s: 'y'.repeat(300) } };
      expect(Buffer.byteLength(canonicalJson(event))).toBeLessThanOrEqual(1000);
      const spaced = JSON.stringify([event, event], null, 8);
      expect(spaced.length).toBeGreaterThan(3000);
      expect(parseIJsonText(spaced, { maxDepth: 8, events })).toEqual([event, event]);
    });

    it('treats a whole body as one event when told to', () => {
      const many = `[${Array.from({ length: 600 }, () => '{}').join(',')}]`;
      expect(refusal(() => parseIJsonText(many, { maxDepth: 8, events: { maxCanonicalBytes: 1000, items: 'whole' } })).code).toBe(
        'EVENT_TOO_LARGE',
      );
      expect(parseIJsonText(many, { maxDepth: 8, events })).toHaveLength(600);
    });
  });
});
