import { CATALOG_EVENT_TYPES, uuidv7 } from '@evidence-ledger/core';
import { EventRejectedError, LedgerClient, LedgerClientOptions, LedgerReceipt } from '@evidence-ledger/sdk';
import { sqliteHandle, StoreHandle } from '../libs/ledger/src/testing/ledger-fixture';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FULL_CATALOG_DATA } from './fixtures/sdk-catalog-data';
import { loggedIds, producerKey, verifierKeyOf } from './fixtures/sdk-ledger';
import { LedgerSite, newSite, RunningLedger, startLedger } from './support/ledger-server';

// The SDK against the real service: every helper's event is accepted, receipts verify against
// the operator's verifier key, and refusals reach exactly the events at fault.
describe('LedgerClient against the ledger service', () => {
  let handle: StoreHandle;
  let site: LedgerSite;
  let ledger: RunningLedger;
  let apiKey: string;
  let vkey: string;
  const clients: LedgerClient[] = [];

  beforeAll(async () => {
    handle = sqliteHandle();
    site = newSite(handle.location);
    ledger = await startLedger(site);
    apiKey = await producerKey(ledger);
    vkey = verifierKeyOf(site);
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    await ledger.close();
    await handle.cleanup();
  });

  const client = (options: Partial<LedgerClientOptions> = {}): LedgerClient => {
    const c = new LedgerClient({ url: ledger.url, apiKey, source: 'urn:acme:sdk-test', verifierKeys: [vkey], ...options });
    clients.push(c);
    return c;
  };

  it('records an event of every catalog type through its helper: each is accepted (201) and its receipt verifies', async () => {
    const c = client({ actor: { kind: 'service', id: 'sdk-test' } });
    // Exception responses are management's: recorded with an admin key.
    const admin = client({ actor: { kind: 'human', id: 'compliance@acme.com' }, apiKey: ledger.adminKey });
    const attrs = { changeid: 'github.com/acme/pay#482' };
    const d = FULL_CATALOG_DATA;
    const pending = [
      c.recordAgentTask(d['agent.task.requested'](), attrs),
      c.recordAgentAction(d['agent.action.performed'](), attrs),
      c.recordModelInvocation(d['model.invocation.completed'](), attrs),
      c.recordPolicyDecision(d['policy.decision.recorded'](), attrs),
      c.recordScan(d['scan.completed'](), attrs),
      c.recordReview(d['review.decision.recorded'](), attrs),
      c.recordChangeOpened(d['change.opened'](), attrs),
      c.recordChangeCommitted(d['change.committed'](), attrs),
      c.recordChangeMerged(d['change.merged'](), attrs),
      c.recordDeployment(d['deployment.completed'](), attrs),
      c.recordRollback(d['deployment.rolled_back'](), attrs),
      c.recordBudgetThresholdCrossed(d['budget.threshold.crossed'](), attrs),
      admin.recordExceptionResponse(d['exception.response.recorded'](), attrs),
    ];
    const receipts = await Promise.all(pending);

    expect(receipts.map((r) => [r.verified, r.alreadyRecorded])).toEqual(receipts.map(() => [true, false]));
    const types = await Promise.all(receipts.map((r) => ledger.runtime.store.getEntry('default', r.sequence)));
    expect(types.map((e) => JSON.parse(e!.canonical.toString('utf8')).type).sort()).toEqual([...CATALOG_EVENT_TYPES].sort());
    expect(types.map((e) => JSON.parse(e!.canonical.toString('utf8')).changeid)).toEqual(types.map(() => 'github.com/acme/pay#482'));
  });

  it('posts samples that use every field the published JSON Schema of their type lists', () => {
    for (const type of CATALOG_EVENT_TYPES) {
      const schema = JSON.parse(readFileSync(join(__dirname, '..', 'schemas', `${type}.schema.json`), 'utf8')) as JsonSchema;
      expect({ type, missing: missingFields(FULL_CATALOG_DATA[type](), schema, schema) }).toEqual({ type, missing: [] });
    }
  });

  it('answers a retried id with the original receipt (200), and the log holds the event once', async () => {
    const c = client();
    const id = uuidv7();
    const data = FULL_CATALOG_DATA['scan.completed']();
    const time = '2026-11-21T05:00:00Z';
    const first = await c.recordScan(data, { id, time });
    const again = await c.recordScan(data, { id, time });

    expect(first.alreadyRecorded).toBe(false);
    expect(again).toMatchObject({ alreadyRecorded: true, verified: true, sequence: first.sequence, leafHash: first.leafHash });
    expect((await loggedIds(ledger)).filter((logged) => logged === id)).toHaveLength(1);
  });

  it('rejects only the invalid event of a batch, naming its field, and records its neighbours', async () => {
    const c = client({ flushIntervalMs: 60_000 });
    const good = [0, 1, 2].map(() => c.recordModelInvocation(FULL_CATALOG_DATA['model.invocation.completed']()));
    const bad = c.recordModelInvocation({ ...FULL_CATALOG_DATA['model.invocation.completed'](), tokensIn: -5 });
    await c.flush();

    const error = await bad.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(EventRejectedError);
    expect(error).toMatchObject({ status: 400, problemCode: 'INVALID_ENVELOPE', violations: [{ path: 'data.tokensIn' }] });
    const receipts = await Promise.all(good);
    expect(receipts.every((r) => r.verified)).toBe(true);
    expect(await loggedIds(ledger)).not.toContain(bad.id);
  });

  it('rejects an id reused with other content (409) without failing the events sent with it', async () => {
    const c = client({ flushIntervalMs: 60_000 });
    const id = uuidv7();
    const original = c.recordPolicyDecision(FULL_CATALOG_DATA['policy.decision.recorded'](), { id });
    await c.flush();
    await expect(original).resolves.toMatchObject({ verified: true });
    const reused = c.recordPolicyDecision({ ...FULL_CATALOG_DATA['policy.decision.recorded'](), decision: 'allow' }, { id });
    const neighbours = [0, 1, 2, 3, 4].map(() => c.recordScan(FULL_CATALOG_DATA['scan.completed']()));
    await c.flush();

    await expect(reused).rejects.toMatchObject({ code: 'EVENT_REJECTED', status: 409, problemCode: 'ID_CONFLICT' });
    expect((await Promise.all(neighbours)).map((r) => r.verified)).toEqual([true, true, true, true, true]);
  });

  it('rejects events from a source the API key may not use, and nothing else', async () => {
    const restricted = await producerKey(ledger, undefined, 'urn:acme:gateway');
    const c = client({ apiKey: restricted, source: 'urn:acme:gateway/eu', flushIntervalMs: 60_000 });
    const allowed = c.recordScan(FULL_CATALOG_DATA['scan.completed']());
    const outside = c.recordScan(FULL_CATALOG_DATA['scan.completed'](), { source: 'urn:acme:ci' });
    await c.flush();

    await expect(allowed).resolves.toMatchObject({ verified: true });
    await expect(outside).rejects.toMatchObject({ status: 403, problemCode: 'SOURCE_NOT_ALLOWED', violations: [{ path: 'source' }] });
  });

  it('rejects every event posted with a key the ledger does not know (401), without retrying', async () => {
    const retries: unknown[] = [];
    const c = client({ apiKey: 'elk_not_a_key', onRetry: (n) => retries.push(n) });
    const pending = [c.recordScan(FULL_CATALOG_DATA['scan.completed']()), c.recordScan(FULL_CATALOG_DATA['scan.completed']())];

    for (const p of pending) await expect(p).rejects.toMatchObject({ status: 401, problemCode: 'UNAUTHENTICATED' });
    expect(retries).toEqual([]);
  });

  it('refuses an invalid envelope before sending it', async () => {
    const c = client();
    const pending = c.record('x.acme.release.note', { ok: true }, { extensions: { 'Not-An-Extension': 'x' } });

    await expect(pending.accepted).rejects.toMatchObject({
      code: 'EVENT_REJECTED',
      status: undefined,
      violations: [{ path: 'Not-An-Extension' }],
    });
    await expect(pending).rejects.toBeInstanceOf(EventRejectedError);
  });

  it('records extension (x.) events with free-form data', async () => {
    const c = client();
    const receipt: LedgerReceipt = await c.record('x.acme.release.note', { version: '1.2.3', notes: ['faster'] }, { subject: 'pay' });

    expect(receipt.verified).toBe(true);
  });

  it('trusts on first use only when asked, and keeps the learned keys in the spool directory', async () => {
    const spoolDir = mkdtempSync(join(tmpdir(), 'sdk-tofu-'));
    try {
      expect(() => new LedgerClient({ url: ledger.url, apiKey, source: 'urn:acme:sdk-test' })).toThrow(/pin the ledger's verifier keys/);
      const c = new LedgerClient({ url: ledger.url, apiKey, source: 'urn:acme:sdk-test', trustOnFirstUse: true, spoolDir });
      await expect(c.recordScan(FULL_CATALOG_DATA['scan.completed']())).resolves.toMatchObject({ verified: true });
      await c.close();

      const state = JSON.parse(readFileSync(join(spoolDir, 'trust.json'), 'utf8')) as {
        origin: string;
        learnedKeys: string[];
        checkpoint: string;
      };
      expect(state.origin).toBe('ledger.test/default');
      expect(state.learnedKeys).toEqual([vkey]);
      expect(state.checkpoint).toMatch(/^ledger\.test\/default\n\d+\n/);
      expect(existsSync(join(spoolDir, 'spool.lock'))).toBe(false);
    } finally {
      rmSync(spoolDir, { recursive: true, force: true });
    }
  });

  it('fails a fire-and-forget event to onEventFailed, not to an unhandled rejection', async () => {
    const failed: string[] = [];
    const c = client({ onEventFailed: (e, id) => failed.push(`${id} ${e.code}`) });
    const pending = c.recordScan({ ...FULL_CATALOG_DATA['scan.completed'](), commit: 'not-a-sha' });
    await pending.accepted;
    await c.flush();

    expect(failed).toEqual([`${pending.id} EVENT_REJECTED`]);
  });
});

interface JsonSchema {
  properties?: Record<string, JsonSchema>;
  $ref?: string;
  definitions?: Record<string, JsonSchema>;
  items?: JsonSchema;
}

// Fields the schema lists (at any depth of nested objects) that the sample leaves out.
function missingFields(sample: unknown, schema: JsonSchema, root: JsonSchema, path = 'data'): string[] {
  const resolved = schema.$ref ? (root.definitions ?? {})[schema.$ref.split('/').pop() as string] : schema;
  if (!resolved?.properties || typeof sample !== 'object' || sample === null) return [];
  return Object.entries(resolved.properties).flatMap(([name, sub]) => {
    const value = (sample as Record<string, unknown>)[name];
    if (value === undefined) return [`${path}.${name}`];
    return missingFields(value, sub, root, `${path}.${name}`);
  });
}
