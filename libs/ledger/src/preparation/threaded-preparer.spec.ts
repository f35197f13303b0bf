import { EventEnvelope, InvalidEventError, LIMITS, parseEventBatch, prepareEvent } from '@evidence-ledger/core';
import { sampleModelInvocation } from '@evidence-ledger/samples';
import { prepareInline } from './event-preparer';
import { MIN_SHARED_BATCH, ThreadedPreparer } from './threaded-preparer';

const server = { tenant: 'acme', sequence: 7, recordedAt: '2026-11-21T10:00:00.000Z', producer: 'p' };
const bytesOf = (events: { body: { withMembers(v: Record<string, unknown>): Buffer } }[]) =>
  events.map((e) => e.body.withMembers(server).toString('utf8'));

// Envelopes whose canonical form exercises what RFC 8785 is particular about: key order by
// UTF-16 code units (integer-like keys, non-ASCII, surrogate pairs), number forms, escapes,
// members that sort before, between and after the server fields' slots.
function awkward(i: number): Record<string, unknown> {
  return sampleModelInvocation({
    data: {
      ...(JSON.parse(`{"__proto__":{"polluted":${i}}}`) as object),
      '10': i,
      '9': -0,
      é: 'caf\u00e9 \u{1F600} \u2028',
      '\u{1F600}': [1e-7, 5e-324, 0.1 + 0.2, -1.5, 2.5e-300, 123456789012345, null, true, false],
      'quote"back\\slash': '\u0000\u001f\ttab',
      nested: { z: { y: { x: [[], {}, ''] } }, a: 'a'.repeat(i % 50) },
    },
    aaa: 'before every slot',
    query: `between slots ${i}`,
    zzz: 'after every slot',
  });
}

// Every string within its limit, the event over its own: five strings of the longest kind.
const oversize = () =>
  sampleModelInvocation({
    data: Object.fromEntries(Array.from({ length: 5 }, (_, k) => [`part${k}`, 'x'.repeat(LIMITS.maxStringLength)])),
  });

describe('ThreadedPreparer', () => {
  const preparer = new ThreadedPreparer();
  afterAll(() => preparer.close());

  it('prepares a large batch on two threads into exactly the events prepared inline', async () => {
    const envelopes = parseEventBatch(Array.from({ length: 1000 }, (_, i) => awkward(i)));
    const threaded = await preparer.prepare(envelopes);
    const inline = prepareInline(envelopes);
    expect(threaded.map((e) => e.envelope)).toEqual(inline.map((e) => e.envelope));
    expect(threaded.map((e) => e.envelope === envelopes[threaded.indexOf(e)])).not.toContain(false);
    expect(bytesOf(threaded)).toEqual(bytesOf(inline));
    expect(preparer.threadPrepared).toBe(450);
    expect(JSON.stringify(JSON.parse(bytesOf(threaded)[999]).data.__proto__)).toBe('{"polluted":999}');
  });

  it('names the same event as too large as inline preparation does, wherever it sits', async () => {
    for (const at of [3, 700, 999]) {
      const events = Array.from({ length: 1000 }, (_, i) => (i === at ? oversize() : awkward(i)));
      const envelopes = parseEventBatch(events) as EventEnvelope[];
      const error = await preparer.prepare(envelopes).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidEventError);
      expect((error as InvalidEventError).code).toBe('EVENT_TOO_LARGE');
      expect((error as InvalidEventError).violations).toEqual([expect.objectContaining({ path: `[${at}]` })]);
    }
  });

  it('prepares small batches, and batches arriving while two slices are out, inline', async () => {
    const fresh = new ThreadedPreparer();
    const small = parseEventBatch(Array.from({ length: MIN_SHARED_BATCH - 1 }, (_, i) => awkward(i)));
    expect(bytesOf(await fresh.prepare(small))).toEqual(bytesOf(prepareInline(small)));
    expect(fresh.threadPrepared).toBe(0);
    const big = parseEventBatch(Array.from({ length: 600 }, (_, i) => awkward(i)));
    const [a, b, c] = await Promise.all([fresh.prepare(big), fresh.prepare(big), fresh.prepare(big)]);
    expect(bytesOf(a)).toEqual(bytesOf(prepareInline(big)));
    expect(bytesOf(b)).toEqual(bytesOf(a));
    expect(bytesOf(c)).toEqual(bytesOf(a));
    expect(fresh.threadPrepared).toBe(2 * 270);
    await fresh.close();
  });

  it('falls back to preparing inline once its thread is gone', async () => {
    const gone = new ThreadedPreparer();
    await gone.close();
    const envelopes = parseEventBatch(Array.from({ length: 300 }, (_, i) => awkward(i)));
    expect(bytesOf(await gone.prepare(envelopes))).toEqual(bytesOf(envelopes.map((e, i) => prepareEvent(e, i))));
    expect(gone.threadPrepared).toBe(0);
  });
});
