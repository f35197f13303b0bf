import { Agent, request } from 'node:http';
import { LIMITS } from '@evidence-ledger/core';
import { STORES, StoreHandle } from '../libs/ledger/src/testing/ledger-fixture';
import { modelInvocation } from '../libs/ledger/src/testing/events';
import { call } from './support/http-client';
import { newSite, RunningLedger, startLedger } from './support/ledger-server';
import { rawPost } from './support/raw-http';

const MiB = 1024 * 1024;
const FIVE_MIB = LIMITS.maxBatchBytes;

// The edge decides who is calling, and whether they may call now, before it reads a body:
// a refused upload is answered while the client is still sending it, and never buffered.
describe('the HTTP edge under hostile load', () => {
  let handle: StoreHandle;
  let ledger: RunningLedger;
  let producerKey: string;
  let auditorKey: string;

  const upload = (head: Record<string, string>, opts: { sendFirst: number; keepSending?: number; chunked?: boolean }) =>
    rawPost(`${ledger.url}/v1/events`, { 'Content-Type': 'application/json', ...head }, opts);

  beforeAll(async () => {
    handle = STORES[0][1]();
    ledger = await startLedger(newSite(handle.location), { LEDGER_AUTH_FAILURE_LIMIT: '1000' });
    const key = async (role: string) =>
      (await call(`${ledger.url}/v1/api-keys`, { key: ledger.adminKey, json: { name: role, role } })).body.key;
    producerKey = await key('producer');
    auditorKey = await key('auditor');
  });
  afterAll(async () => {
    await ledger.close();
    await handle.cleanup();
  });

  it.each([
    ['no API key', () => ({}), 401, 'UNAUTHENTICATED'],
    ['an invalid API key', () => ({ Authorization: 'Bearer elk_not-a-real-key-at-all-0000000000000' }), 401, 'UNAUTHENTICATED'],
    ['an auditor key', () => ({ Authorization: `Bearer ${auditorKey}` }), 403, 'FORBIDDEN'],
  ])('answers a 5 MiB upload with %s before the client has sent it', async (_what, auth, status, code) => {
    const res = await upload({ ...auth(), 'Content-Length': String(FIVE_MIB) }, { sendFirst: 64 * 1024 });
    expect(res.status).toBe(status);
    expect(JSON.parse(res.body).code).toBe(code);
    expect(res.bodyBytesSent).toBe(64 * 1024);
  });

  it('answers 60 concurrent unauthenticated 5 MiB uploads, each after its first 64 KiB', async () => {
    const answers = await Promise.all(
      Array.from({ length: 60 }, () => upload({ 'Content-Length': String(FIVE_MIB) }, { sendFirst: 64 * 1024 })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(60).fill(401));
  });

  it('refuses a declared body over 5 MiB from a producer by its Content-Length, without reading it', async () => {
    const res = await upload({ Authorization: `Bearer ${producerKey}`, 'Content-Length': String(FIVE_MIB + 1) }, { sendFirst: 64 * 1024 });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body).code).toBe('BATCH_TOO_LARGE');
    expect(res.bodyBytesSent).toBe(64 * 1024);
    // It could be endless: the connection ends rather than the server discarding it all.
    expect(res.headers.connection).toBe('close');
  });

  it('stops reading a chunked upload at 5 MiB and ends the connection', async () => {
    const res = await upload({ Authorization: `Bearer ${producerKey}` }, { sendFirst: 0, keepSending: 64 * MiB, chunked: true });
    // The 413 is sent first; a client still writing may see the reset that closing a socket
    // with unread input causes overtake it. Either way the server stopped reading.
    if (!res.reset) expect({ status: res.status, connection: res.headers.connection }).toEqual({ status: 413, connection: 'close' });
    expect(res.bodyBytesSent).toBeLessThan(64 * MiB);
  });

  it('keeps a connection usable after refusing a bounded upload it did not read', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const post = (body: Buffer) =>
      new Promise<{ status: number; socket: unknown }>((resolve, reject) => {
        const req = request(
          `${ledger.url}/v1/events`,
          {
            method: 'POST',
            agent,
            headers: { authorization: 'Bearer elk_not-a-real-key-at-all-0000000000000', 'content-type': 'application/json' },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve({ status: res.statusCode ?? 0, socket: req.socket }));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    try {
      const first = await post(Buffer.alloc(MiB, 0x20));
      const second = await post(Buffer.from('{}'));
      expect([first.status, second.status]).toEqual([401, 401]);
      expect(second.socket).toBe(first.socket);
    } finally {
      agent.destroy();
    }
  });

  it('still reads and records a full-size batch from a producer', async () => {
    const res = await call(`${ledger.url}/v1/events`, { key: producerKey, json: Array.from({ length: 1000 }, () => modelInvocation()) });
    expect(res.status).toBe(201);
  });
});

describe('throttled authentication', () => {
  let handle: StoreHandle;
  let ledger: RunningLedger;

  beforeAll(async () => {
    handle = STORES[0][1]();
    ledger = await startLedger(newSite(handle.location), { LEDGER_AUTH_FAILURE_LIMIT: '3' });
  });
  afterAll(async () => {
    await ledger.close();
    await handle.cleanup();
  });

  it('refuses an address with 429 and Retry-After once it has presented invalid keys too often, before reading its body', async () => {
    const bad = 'elk_not-a-real-key-at-all-0000000000000';
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await call(`${ledger.url}/v1/checkpoint`, { key: bad })).status);
    expect(statuses).toEqual([401, 401, 401]);
    const res = await rawPost(
      `${ledger.url}/v1/events`,
      { Authorization: `Bearer ${bad}`, 'Content-Type': 'application/json', 'Content-Length': String(FIVE_MIB) },
      { sendFirst: 64 * 1024 },
    );
    expect(res.status).toBe(429);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(JSON.parse(res.body).code).toBe('RATE_LIMITED');
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(60);
    // A request without any key costs no lookup and is not what is throttled: still 401.
    expect((await call(`${ledger.url}/v1/checkpoint`)).status).toBe(401);
  });
});

describe('the per-key request budget', () => {
  it('answers 429 with Retry-After once a key has spent its budget, before reading the body', async () => {
    const handle = STORES[0][1]();
    const ledger = await startLedger(newSite(handle.location), { LEDGER_RATE_LIMIT: '5' });
    try {
      for (let i = 0; i < 5; i++) expect((await call(`${ledger.url}/v1/public-keys`, { key: ledger.adminKey })).status).toBe(200);
      const res = await rawPost(
        `${ledger.url}/v1/api-keys`,
        { Authorization: `Bearer ${ledger.adminKey}`, 'Content-Type': 'application/json', 'Content-Length': String(60_000) },
        { sendFirst: 1024 },
      );
      expect(res.status).toBe(429);
      expect(JSON.parse(res.body).code).toBe('RATE_LIMITED');
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    } finally {
      await ledger.close();
      await handle.cleanup();
    }
  });
});
