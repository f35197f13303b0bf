import { uuidv7 } from '@evidence-ledger/core';
import { BatchDelivery } from './batch-delivery';
import { LedgerApi } from './ledger-api';
import { outgoingEvent, OutgoingEvent } from './ledger-event';
import { RetryPolicy } from './retry-policy';
import { ReceivedRequest, ScriptedAnswer, ScriptedLedger } from './testing/scripted-ledger';

// The ledger refuses a whole batch for one bad event; the client must hand every event its
// own outcome without ever sending a refused request again.
describe('a batch the ledger refuses because of some of its events', () => {
  let ledger: ScriptedLedger;
  const stop = new AbortController();

  afterEach(() => ledger.close());

  const deliverWith = async (script: (request: ReceivedRequest) => ScriptedAnswer, events: OutgoingEvent[]) => {
    ledger = await ScriptedLedger.start(script);
    const api = new LedgerApi({ url: ledger.url, apiKey: 'elk_test', requestTimeoutMs: 5000 });
    return new BatchDelivery(api, new RetryPolicy({ maxAttempts: 3, initialDelayMs: 1 }), stop.signal).deliver(events);
  };

  it('rejects the events the problem names and posts the others again', async () => {
    const events = eventsOf(5);
    const bad = events[3].id;
    const outcomes = await deliverWith((r) => {
      const i = r.ids.indexOf(bad);
      return i < 0
        ? { receipts: true }
        : {
            status: 400,
            problem: {
              code: 'INVALID_ENVELOPE',
              detail: 'invalid',
              errors: [{ path: `[${i}].data.tokensIn`, message: 'must not be negative' }],
            },
          };
    }, events);

    expect(outcomes.map((o) => o.kind)).toEqual(['recorded', 'recorded', 'recorded', 'rejected', 'recorded']);
    expect(outcomes[3]).toMatchObject({
      violations: [{ path: 'data.tokensIn', message: 'must not be negative' }],
      problem: { code: 'INVALID_ENVELOPE' },
    });
    expect(ledger.requests.map((r) => r.ids.length)).toEqual([5, 4]);
  });

  it('splits the batch until a refusal that names no event falls on the one at fault', async () => {
    const events = eventsOf(8);
    const conflicting = events[5].id;
    const outcomes = await deliverWith(
      (r) =>
        r.ids.includes(conflicting)
          ? { status: 409, problem: { code: 'ID_CONFLICT', detail: `event id ${conflicting} is taken` } }
          : { receipts: true },
      events,
    );

    expect(outcomes.filter((o) => o.kind === 'rejected')).toHaveLength(1);
    expect(outcomes[5]).toMatchObject({ kind: 'rejected', problem: { status: 409, code: 'ID_CONFLICT' } });
    expect(outcomes.filter((o) => o.kind === 'recorded')).toHaveLength(7);
    const bodies = ledger.requests.map((r) => r.body);
    expect(new Set(bodies).size).toBe(bodies.length);
  });

  it('rejects every event when the refusal is about the request itself', async () => {
    const outcomes = await deliverWith(() => ({ status: 401, problem: { code: 'UNAUTHENTICATED', detail: 'bad key' } }), eventsOf(4));

    expect(outcomes.map((o) => o.kind)).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);
    expect(ledger.requests).toHaveLength(1);
  });

  it('gives every event the receipt the ledger returned for it, noting retries (200)', async () => {
    const events = eventsOf(3);
    const outcomes = await deliverWith(() => ({ receipts: true, status: 200 }), events);

    expect(outcomes.map((o) => o.kind === 'recorded' && [o.receipt.id, o.alreadyRecorded])).toEqual(events.map((e) => [e.id, true]));
  });
});

function eventsOf(n: number): OutgoingEvent[] {
  return Array.from({ length: n }, (_, i) =>
    outgoingEvent({ specversion: '1.0', id: uuidv7(), source: 'urn:test', type: 'x.test.split', data: { i } }),
  );
}
