import { BatchDelivery, DeliveryOutcome } from './batch-delivery';
import { InvalidOptionsError } from './errors';
import { LedgerApi } from './ledger-api';
import { outgoingEvent } from './ledger-event';
import { AttemptOutcome, RetryPolicy } from './retry-policy';
import { ScriptedAnswer, ScriptedLedger } from './testing/scripted-ledger';
import { uuidv7 } from '@evidence-ledger/core';

const answered = (status: number): AttemptOutcome => ({ kind: 'answered', status });
const network: AttemptOutcome = { kind: 'network', error: new TypeError('fetch failed') };

describe('RetryPolicy', () => {
  it('retries network errors, 429 and every 5xx', () => {
    const policy = new RetryPolicy({ maxAttempts: 5 });
    for (const outcome of [network, answered(429), answered(500), answered(502), answered(503), answered(504), answered(599)]) {
      expect(policy.shouldRetry(outcome, 1)).toBe(true);
    }
  });

  it('never retries any other 4xx', () => {
    const policy = new RetryPolicy({ maxAttempts: 5 });
    for (let status = 400; status < 500; status++) {
      if (status !== 429) expect(policy.shouldRetry(answered(status), 1)).toBe(false);
    }
  });

  it('stops once maxAttempts attempts were made', () => {
    const policy = new RetryPolicy({ maxAttempts: 3 });
    expect(policy.shouldRetry(network, 2)).toBe(true);
    expect(policy.shouldRetry(network, 3)).toBe(false);
    expect(new RetryPolicy({ maxAttempts: Infinity }).shouldRetry(network, 1e9)).toBe(true);
  });

  it('doubles the delay per attempt, drawn from [base/2, base], up to maxDelayMs', () => {
    const options = { initialDelayMs: 100, maxDelayMs: 1000, multiplier: 2 };
    const lowest = new RetryPolicy(options, 10, () => 0);
    const highest = new RetryPolicy(options, 10, () => 1);
    const attempts = [1, 2, 3, 4, 5, 6];
    expect(attempts.map((a) => lowest.delayMs(a))).toEqual([50, 100, 200, 400, 500, 500]);
    expect(attempts.map((a) => highest.delayMs(a))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('spreads the delays of producers that failed together', () => {
    const draws = [0.1, 0.9];
    const policy = new RetryPolicy({ initialDelayMs: 100 }, 10, () => draws.shift() as number);
    expect(policy.delayMs(3)).not.toBe(policy.delayMs(3));
  });

  it('waits at least as long as Retry-After asks, but never beyond maxDelayMs', () => {
    const policy = new RetryPolicy({ initialDelayMs: 100, maxDelayMs: 5000 }, 10, () => 0);
    expect(policy.delayMs(1, 2000)).toBe(2000);
    expect(policy.delayMs(1, 60_000)).toBe(5000);
  });

  it('refuses options that cannot work', () => {
    expect(() => new RetryPolicy({ maxAttempts: 0 })).toThrow(InvalidOptionsError);
    expect(() => new RetryPolicy({ maxAttempts: 2.5 })).toThrow(/retry.maxAttempts/);
    expect(() => new RetryPolicy({ initialDelayMs: -1 })).toThrow(/retry.initialDelayMs/);
    expect(() => new RetryPolicy({ initialDelayMs: 100, maxDelayMs: 10 })).toThrow(/retry.maxDelayMs/);
    expect(() => new RetryPolicy({ multiplier: 0.5 })).toThrow(/retry.multiplier/);
  });
});

describe('delivery over HTTP follows the retry policy', () => {
  let ledger: ScriptedLedger;
  const stop = new AbortController();

  beforeEach(async () => {
    ledger = await ScriptedLedger.start([{ receipts: true }]);
  });
  afterEach(() => ledger.close());

  const deliver = (script: ScriptedAnswer[], maxAttempts = 5, events = 1): Promise<DeliveryOutcome[]> => {
    ledger.answer(script);
    const api = new LedgerApi({ url: ledger.url, apiKey: 'elk_test', requestTimeoutMs: 5000 });
    const delivery = new BatchDelivery(api, new RetryPolicy({ maxAttempts, initialDelayMs: 1, maxDelayMs: 5 }), stop.signal);
    return delivery.deliver(Array.from({ length: events }, () => sampleEvent()));
  };

  it('retries 503 until the ledger answers, re-posting the same events', async () => {
    const [outcome] = await deliver([{ status: 503 }, { status: 503 }, { receipts: true }]);

    expect(outcome.kind).toBe('recorded');
    expect(ledger.requests).toHaveLength(3);
    expect(new Set(ledger.requests.map((r) => r.body)).size).toBe(1);
  });

  it('retries 429, honouring Retry-After', async () => {
    const [outcome] = await deliver([{ status: 429, headers: { 'retry-after': '0' } }, { receipts: true }]);

    expect(outcome.kind).toBe('recorded');
    expect(ledger.requests).toHaveLength(2);
  });

  it('retries a connection closed without an answer', async () => {
    const [outcome] = await deliver([{ hangUp: true }, { hangUp: true }, { receipts: true }]);

    expect(outcome.kind).toBe('recorded');
    expect(ledger.requests).toHaveLength(3);
  });

  it('retries a refused connection until the attempts run out', async () => {
    const url = ledger.url;
    await ledger.close();
    const api = new LedgerApi({ url, apiKey: 'elk_test', requestTimeoutMs: 5000 });
    const delivery = new BatchDelivery(api, new RetryPolicy({ maxAttempts: 3, initialDelayMs: 1, maxDelayMs: 2 }), stop.signal);
    const [outcome] = await delivery.deliver([sampleEvent()]);

    expect(outcome).toMatchObject({ kind: 'undelivered', attempts: 3, stopped: false });
    ledger = await ScriptedLedger.start([{ receipts: true }]);
  });

  it.each([400, 401, 403, 404, 409, 413, 415, 422])('never retries a %i', async (status) => {
    const [outcome] = await deliver([{ status, problem: { code: 'REFUSED', detail: 'no' } }, { receipts: true }]);

    expect(outcome).toMatchObject({ kind: 'rejected', problem: { status, code: 'REFUSED', detail: 'no' } });
    expect(ledger.requests).toHaveLength(1);
  });

  it('gives up after maxAttempts, reporting the last status', async () => {
    const [outcome] = await deliver([{ status: 500 }], 3);

    expect(outcome).toMatchObject({ kind: 'undelivered', attempts: 3, lastStatus: 500, stopped: false });
    expect(ledger.requests).toHaveLength(3);
  });

  it('treats a 2xx without one receipt per event as a network error and retries it', async () => {
    let first = true;
    ledger.answer(() => {
      if (!first) return { receipts: true };
      first = false;
      return { status: 201, problem: { not: 'receipts' } };
    });
    const api = new LedgerApi({ url: ledger.url, apiKey: 'elk_test', requestTimeoutMs: 5000 });
    const delivery = new BatchDelivery(api, new RetryPolicy({ maxAttempts: 3, initialDelayMs: 1 }), stop.signal);
    const [outcome] = await delivery.deliver([sampleEvent()]);

    expect(outcome.kind).toBe('recorded');
    expect(ledger.requests).toHaveLength(2);
  });

  it('stops retrying at once when the client stops', async () => {
    ledger.answer([{ status: 503 }]);
    const stopping = new AbortController();
    const api = new LedgerApi({ url: ledger.url, apiKey: 'elk_test', requestTimeoutMs: 5000 });
    const delivery = new BatchDelivery(
      api,
      new RetryPolicy({ maxAttempts: Infinity, initialDelayMs: 60_000, maxDelayMs: 60_000 }),
      stopping.signal,
      () => stopping.abort(new Error('closing')),
    );
    const [outcome] = await delivery.deliver([sampleEvent()]);

    expect(outcome).toMatchObject({ kind: 'undelivered', stopped: true, attempts: 1 });
    expect(ledger.requests).toHaveLength(1);
  });
});

function sampleEvent() {
  return outgoingEvent({ specversion: '1.0', id: uuidv7(), source: 'urn:test', type: 'x.test.retry', data: { n: 1 } });
}
