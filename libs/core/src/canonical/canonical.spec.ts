import { canonicalJson } from './canonical-json';
import { CanonicalObject } from './canonical-object';

describe('RFC 8785 canonical JSON', () => {
  it('serializes the RFC 8785 §3.2.2 example exactly', () => {
    // RFC 8785 §3.2.2 input (numbers, literals, string escapes).
    const input = JSON.parse(
      '{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],' +
        '"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/","literals":[null,true,false]}',
    );
    expect(canonicalJson(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' + '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('sorts keys by UTF-16 code units as RFC 8785 §3.2.3 requires', () => {
    // RFC 8785 §3.2.3 sorting example.
    const input = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    const keysInOrder = [...canonicalJson(input).matchAll(/"([^"]*)":/g)].map((m) => JSON.parse(`"${m[1]}"`));
    expect(keysInOrder).toEqual(['\r', '1', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33']);
  });
});

describe('a canonical object with server fields merged in', () => {
  const cases: Record<string, unknown>[] = [
    { specversion: '1.0', id: 'a', type: 't', source: 's', data: { z: 1, a: [1, 2, { y: null }] } },
    { a: 1 },
    {},
    { zzz: 'last', aaa: 'first', sequencf: 1, tenanu: 2, '\u00e9': 3 },
  ];

  it.each(cases)('produces the same bytes as canonicalizing the whole object (%#)', (envelope) => {
    const server = { sequence: 42, tenant: 'acme', recordedAt: '2026-11-21T00:00:00.000Z', producer: 'key-1' };
    const merged = CanonicalObject.of(envelope, Object.keys(server)).withMembers(server);
    expect(merged.toString('utf8')).toBe(canonicalJson({ ...envelope, ...server }));
  });

  it('refuses to overwrite a member the producer sent', () => {
    expect(() => CanonicalObject.of({ sequence: 1 }, ['sequence'])).toThrow(/already present/);
  });

  it('refuses to leave a slot empty or fill one that does not exist', () => {
    const o = CanonicalObject.of({ a: 1 }, ['sequence']);
    expect(() => o.withMembers({})).toThrow(/not filled/);
    expect(() => o.withMembers({ sequence: 1, tenant: 'x' })).toThrow(/no slot/);
  });

  it('drops undefined members like JSON does', () => {
    expect(CanonicalObject.of({ a: undefined, b: 1 }).toBuffer().toString()).toBe('{"b":1}');
  });

  it.each(cases)('knows its own canonical form and size without slots (%#)', (object) => {
    const o = CanonicalObject.of(object, ['sequence', 'tenant']);
    expect(o.toBuffer().toString()).toBe(canonicalJson(object));
    expect(o.byteLength()).toBe(Buffer.byteLength(canonicalJson(object)));
  });

  it('crosses threads as its segments: the same bytes back, a segment count that does not fit refused', () => {
    const envelope = { zz: [1, 'é'], id: 'x', aa: { b: 2, a: 1 } };
    const slots = ['tenant', 'sequence'];
    const o = CanonicalObject.of(envelope, slots);
    const back = CanonicalObject.fromSegments(slots, o.toSegments());
    expect(back.withMembers({ tenant: 't', sequence: 3 })).toEqual(o.withMembers({ tenant: 't', sequence: 3 }));
    expect(back.byteLength()).toBe(o.byteLength());
    expect(() => CanonicalObject.fromSegments(slots, o.toSegments().slice(1))).toThrow(/3 canonical segments/);
  });
});
