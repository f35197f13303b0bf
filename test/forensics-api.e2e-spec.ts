import {
  canonicalJson,
  changeIdsOf,
  leafHash,
  openCheckpoint,
  parseVerifierKey,
  projectEntry,
  replayChange,
  rootFromInclusionProof,
  StepEvidence,
} from '@evidence-ledger/core';
import { issueApiKey } from '@evidence-ledger/ledger';
import { demoScenario } from '@evidence-ledger/samples';
import { StoreHandle, STORES } from '../libs/ledger/src/testing/ledger-fixture';
import { call } from './support/http-client';
import { postScenario } from './support/post-scenario';
import { newSite, RunningLedger, startLedger } from './support/ledger-server';

const scenario = demoScenario();
const enc = encodeURIComponent;

// Checks a step's proof with nothing but the public key: the checkpoint's signature, the
// entry bytes' leaf hash, and the Merkle path to the signed root.
function verifies(vkey: string, checkpoint: string, evidence: StepEvidence): boolean {
  const { checkpoint: signed } = openCheckpoint(checkpoint, [parseVerifierKey(vkey)]);
  const bytes = Buffer.from(evidence.canonical, 'base64');
  if (leafHash(bytes).toString('base64') !== evidence.leafHash) return false;
  const proof = { ...evidence.proof, hashes: evidence.proof.hashes.map((h) => Buffer.from(h, 'base64')) };
  return Buffer.from(rootFromInclusionProof(proof, leafHash(bytes))).equals(signed.rootHash) && signed.treeSize === proof.treeSize;
}

describe.each(STORES)('the forensic API on %s', (_name, makeHandle) => {
  let handle: StoreHandle;
  let ledger: RunningLedger;
  let auditor: string;
  let producer: string;
  let vkey: string;
  const get = (path: string, key = auditor) => call(`${ledger.url}${path}`, { key });

  beforeAll(async () => {
    handle = makeHandle();
    ledger = await startLedger(newSite(handle.location), { LEDGER_FORENSICS_POLL_MS: '20' });
    const key = async (name: string, role: string) =>
      (await call(`${ledger.url}/v1/api-keys`, { key: ledger.adminKey, json: { name, role } })).body.key;
    producer = await key('gateway', 'producer');
    auditor = await key('auditor', 'auditor');
    vkey = (await get('/v1/public-keys')).body.keys[0].verifierKey;
    for (const status of await postScenario(ledger.url, { producer, admin: ledger.adminKey }, scenario.events)) expect(status).toBe(201);
    for (const deadline = Date.now() + 30_000; Date.now() < deadline;) {
      const [status] = (await get('/v1/forensics/status')).body.forensics;
      if (status.position === scenario.events.length) break;
      await new Promise((done) => setTimeout(done, 25));
    }
  });
  afterAll(async () => {
    await ledger?.close();
    await handle.cleanup();
  });

  it('reports the forensics tables caught up with the log, and their lag as a metric', async () => {
    const metrics = await call(`${ledger.url}/metrics`);
    expect(metrics.text).toMatch(/^ledger_projection_lag_entries 0$/m);
    expect(metrics.text).toMatch(/^ledger_projection_entries_applied_total \d+$/m);
    expect(metrics.text).not.toMatch(/ledger_projection_[a-z_]+\{[^}]*tenant/);
    const res = await get('/v1/forensics/status');
    const caughtUp = [{ name: 'forensics', position: scenario.events.length, treeSize: scenario.events.length, lag: 0 }];
    expect(res.body.forensics).toEqual(caughtUp);
    // The route's first name answers the same, under its first key.
    expect((await get('/v1/projections')).body.projections).toEqual(caughtUp);
  });

  describe('GET /v1/changes', () => {
    it('lists every change once, page by page', async () => {
      const seen: string[] = [];
      for (let after: number | null = null; ;) {
        const res = await get(`/v1/changes?limit=7${after === null ? '' : `&after=${after}`}`);
        expect(res.status).toBe(200);
        seen.push(...res.body.changes.map((c: { changeId: string }) => c.changeId));
        after = res.body.next;
        if (after === null) break;
      }
      expect(seen).toEqual(scenario.changes);
    });

    it('filters by repository, status, exceptions and time', async () => {
      const pay = (await get(`/v1/changes?repo=${enc('github.com/acme/pay')}&limit=1000`)).body.changes;
      expect(pay.length).toBeGreaterThan(0);
      expect(pay.every((c: { repository: string }) => c.repository === 'github.com/acme/pay')).toBe(true);
      const rolledBack = (await get('/v1/changes?status=rolled_back')).body.changes;
      expect(rolledBack.map((c: { changeId: string }) => c.changeId)).toEqual([scenario.showcase]);
      const flagged = (await get('/v1/changes?hasException=true&limit=1000')).body.changes.map((c: { changeId: string }) => c.changeId);
      expect(new Set(flagged)).toEqual(new Set(scenario.planted.flatMap((p) => (p.changeId ? [p.changeId] : []))));
      const unflagged = (await get('/v1/changes?hasException=false&limit=1000')).body.changes.map((c: { changeId: string }) => c.changeId);
      expect(new Set(unflagged)).toEqual(new Set(scenario.clean));
      expect((await get('/v1/changes?to=2000-01-01T00:00:00Z')).body.changes).toEqual([]);
      expect((await get('/v1/changes?from=2000-01-01T00:00:00Z&limit=1000')).body.changes.length).toBe(scenario.changes.length);
    });
  });

  describe('GET /v1/changes/:changeId/timeline', () => {
    it('shows every step in order with its state, and a proof for every step that verifies with the public key alone', async () => {
      const res = await get(`/v1/changes/${enc(scenario.showcase)}/timeline`);
      expect(res.status).toBe(200);
      const { steps, checkpoint, state } = res.body;
      expect(state.status).toBe('rolled_back');
      expect(steps.map((s: { status: string }) => s.status).at(-1)).toBe('rolled_back');
      const sequences = steps.map((s: { sequence: number }) => s.sequence);
      expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
      expect(steps.map((s: { type: string }) => s.type)).toEqual(
        expect.arrayContaining([
          'agent.task.requested',
          'model.invocation.completed',
          'policy.decision.recorded',
          'scan.completed',
          'review.decision.recorded',
          'change.merged',
          'deployment.completed',
          'deployment.rolled_back',
        ]),
      );
      for (const s of steps) {
        expect(verifies(vkey, checkpoint, s.evidence)).toBe(true);
        const entry = projectEntry(s.sequence, Buffer.from(s.evidence.canonical, 'base64'));
        expect(changeIdsOf(entry)).toContain(scenario.showcase);
      }
    });

    it('shows the exceptions of a change with the entry that raised them', async () => {
      const planted = scenario.planted.find((p) => p.rule === 'merged-after-policy-deny')!;
      const res = await get(`/v1/changes/${enc(planted.changeId!)}/timeline?proofs=false`);
      expect(res.body.exceptions.map((x: { rule: string }) => x.rule)).toEqual(['merged-after-policy-deny']);
      const merge = res.body.steps.find((s: { type: string }) => s.type === 'change.merged');
      expect(res.body.exceptions[0].sequence).toBe(merge.sequence);
      expect(res.body.steps[0].evidence).toBeUndefined();
    });

    it('answers an unknown change with 404', async () => {
      const res = await get(`/v1/changes/${enc('github.com/acme/pay#99999')}/timeline`);
      expect(res.status).toBe(404);
      expect(res.contentType).toContain('application/problem+json');
    });
  });

  describe('GET /v1/changes/:changeId/replay', () => {
    it('as of a sequence, equals the fold of exactly the change entries at or before it', async () => {
      const full = (await get(`/v1/changes/${enc(scenario.showcase)}/timeline`)).body.steps;
      const entries = full.map((s: { sequence: number; evidence: StepEvidence }) =>
        projectEntry(s.sequence, Buffer.from(s.evidence.canonical, 'base64')),
      );
      for (const point of [full[0].sequence, full[3].sequence, full[3].sequence + 1, full.at(-2).sequence, full.at(-1).sequence]) {
        const res = await get(`/v1/changes/${enc(scenario.showcase)}/replay?asOf=${point}`);
        expect(res.status).toBe(200);
        const expected = replayChange(
          scenario.showcase,
          entries.filter((e: { sequence: number }) => e.sequence <= point),
        );
        expect(canonicalJson(res.body.state)).toBe(canonicalJson(expected.state));
        expect(res.body.steps.map((s: { sequence: number }) => s.sequence)).toEqual(expected.steps.map((s) => s.sequence));
        for (const s of res.body.steps) expect(verifies(vkey, res.body.checkpoint, s.evidence)).toBe(true);
      }
    });

    it('as of a time, takes the entries recorded at or before it; with no asOf, all of them', async () => {
      const full = (await get(`/v1/changes/${enc(scenario.showcase)}/timeline?proofs=false`)).body.steps;
      const middle = full[Math.floor(full.length / 2)];
      const res = await get(`/v1/changes/${enc(scenario.showcase)}/replay?asOf=${enc(middle.recordedAt)}&proofs=false`);
      expect(res.body.steps.every((s: { recordedAt: string }) => s.recordedAt <= middle.recordedAt)).toBe(true);
      expect(res.body.steps.map((s: { sequence: number }) => s.sequence)).toContain(middle.sequence);
      const now = await get(`/v1/changes/${enc(scenario.showcase)}/replay?proofs=false`);
      expect(now.body.steps.length).toBe(full.length);
    });

    it("names the clock of a time: recorded unless occurred is asked for, which takes the producers' times", async () => {
      const full = (await get(`/v1/changes/${enc(scenario.showcase)}/timeline?proofs=false`)).body.steps;
      const middle = full[Math.floor(full.length / 2)];
      const bare = await get(`/v1/changes/${enc(scenario.showcase)}/replay?asOf=${enc(middle.recordedAt)}&proofs=false`);
      expect(bare.body.asOf).toEqual({ time: middle.recordedAt, clock: 'recorded' });
      // The scenario's events say they happened on 2026-10-01 and were recorded during this test.
      const occurred = await get(`/v1/changes/${enc(scenario.showcase)}/replay?asOf=${enc(`occurred:${middle.time}`)}&proofs=false`);
      expect(occurred.status).toBe(200);
      expect(occurred.body.asOf).toEqual({ time: new Date(middle.time).toISOString(), clock: 'occurred' });
      expect(occurred.body.steps.map((s: { sequence: number }) => s.sequence)).toEqual(
        full.filter((s: { time: string }) => Date.parse(s.time) <= Date.parse(middle.time)).map((s: { sequence: number }) => s.sequence),
      );
      expect(occurred.body.steps.at(-1).sequence).toBe(middle.sequence);
      expect(occurred.body.steps.length).toBeLessThan(full.length);
      const recorded = await get(`/v1/changes/${enc(scenario.showcase)}/replay?asOf=${enc(`recorded:${middle.time}`)}`);
      expect(recorded.body.steps).toEqual([]);
      // Even an empty answer names the signed checkpoint it was given as of.
      expect(recorded.body.checkpoint).toMatch(/^\S+\/default\n\d+\n/);
    });

    it('shows only the exceptions raised up to the point', async () => {
      const planted = scenario.planted.find((p) => p.rule === 'deployed-without-approval')!;
      const timeline = (await get(`/v1/changes/${enc(planted.changeId!)}/timeline?proofs=false`)).body;
      const at = timeline.exceptions[0].sequence;
      expect((await get(`/v1/changes/${enc(planted.changeId!)}/replay?asOf=${at - 1}&proofs=false`)).body.exceptions).toEqual([]);
      expect((await get(`/v1/changes/${enc(planted.changeId!)}/replay?asOf=${at}&proofs=false`)).body.exceptions.length).toBe(1);
    });
  });

  describe('GET /v1/exceptions', () => {
    it('reports each planted exception on its change, in the order they happened, and none on clean changes', async () => {
      const res = await get('/v1/exceptions?limit=1000');
      const found = res.body.exceptions.map((x: { rule: string; changeId?: string }) => `${x.rule} ${x.changeId ?? '-'}`);
      expect([...found].sort()).toEqual(scenario.planted.map((p) => `${p.rule} ${p.changeId ?? '-'}`).sort());
      const sequences = res.body.exceptions.map((x: { sequence: number }) => x.sequence);
      expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
      for (const rule of new Set(scenario.planted.map((p) => p.rule))) {
        const byRule = (await get(`/v1/exceptions?rule=${rule}`)).body.exceptions;
        expect(byRule.map((x: { rule: string }) => x.rule)).toEqual([rule]);
      }
    });

    it("shows management's latest response on the exception it answers, and lists a response naming no exception as unmatched", async () => {
      const [answer, stray] = scenario.responses.inPeriod;
      const named = (e: Record<string, unknown>) => (e.data as { exception: { eventId: string; rule: string } }).exception;
      const exceptions = (await get('/v1/exceptions?limit=1000')).body.exceptions as {
        eventId: string;
        rule: string;
        response?: { eventId: string; status: string; sequence: number; exception: { eventId: string } };
      }[];
      const answered = exceptions.filter((x) => x.response !== undefined);
      expect(answered.map((x) => [x.eventId, x.rule])).toEqual([[named(answer).eventId, named(answer).rule]]);
      expect(answered[0].response).toMatchObject({ eventId: answer.id, status: 'in-progress' });
      const unmatched = (await get('/v1/exceptions/responses?matched=false')).body.responses as { eventId: string; matched: boolean }[];
      expect(unmatched.map((r) => [r.eventId, r.matched])).toEqual([[stray.id, false]]);
      const all = (await get('/v1/exceptions/responses')).body.responses as { eventId: string }[];
      expect(all.map((r) => r.eventId)).toEqual([answer.id, stray.id]);
      expect((await get('/v1/exceptions/responses?matched=maybe')).status).toBe(400);
    });
  });

  describe('inventory, approvals and spend', () => {
    it('lists every exact model version by team with calls, tokens and cost', async () => {
      const models = (await get('/v1/inventory/models?limit=1000')).body.models;
      const calls = scenario.events.filter((e) => e.type === 'model.invocation.completed').length;
      expect(models.reduce((n: number, m: { calls: number }) => n + m.calls, 0)).toBe(calls);
      expect(models[0]).toEqual(
        expect.objectContaining({
          provider: expect.any(String),
          modelVersion: expect.any(String),
          team: expect.any(String),
          costUsd: expect.any(Number),
          firstSeen: expect.any(String),
        }),
      );
      const anthropic = (await get('/v1/inventory/models?provider=anthropic&limit=1000')).body.models;
      expect(anthropic.every((m: { provider: string }) => m.provider === 'anthropic')).toBe(true);
    });

    it('registers every review decision and who made it', async () => {
      const approvals = (await get('/v1/approvals?limit=1000')).body.approvals;
      expect(approvals.length).toBe(scenario.events.filter((e) => e.type === 'review.decision.recorded').length);
      const deploys = (await get('/v1/approvals?checkpoint=deploy&limit=1000')).body.approvals;
      expect(deploys.every((a: { checkpoint: string }) => a.checkpoint === 'deploy')).toBe(true);
      const ofShowcase = (await get(`/v1/approvals?changeid=${enc(scenario.showcase)}`)).body.approvals;
      expect(ofShowcase.map((a: { checkpoint: string }) => a.checkpoint)).toEqual(['merge', 'deploy']);
    });

    it('adds spend up by team and month, and lists budget alerts', async () => {
      const spend = (await get('/v1/spend?limit=1000')).body.spend;
      const models = (await get('/v1/inventory/models?limit=1000')).body.models;
      const total = (rows: { costUsd: number }[]) => Math.round(rows.reduce((n, r) => n + r.costUsd, 0) * 1e6);
      expect(total(spend)).toBe(total(models));
      const alerts = (await get('/v1/spend/budget-alerts')).body.budgetAlerts;
      expect(alerts).toEqual([expect.objectContaining({ team: 'payments', budget: 'ai-coding-monthly' })]);
    });
  });

  describe('both clocks', () => {
    // Every entry shown carries `recordedAt` (recorded, the ledger's clock) and `time` (occurred, the producer's).
    const clocks = { recordedAt: expect.stringMatching(/^\d{4}-.*Z$/), time: expect.stringMatching(/^2026-10-0\d/) };
    const byId = new Map(scenario.events.map((e) => [e.id, e]));

    it('on every step of a timeline and every entry its state refers to', async () => {
      const { steps, state } = (await get(`/v1/changes/${enc(scenario.showcase)}/timeline?proofs=false`)).body;
      for (const s of steps) {
        expect(s).toEqual(expect.objectContaining(clocks));
        expect(s.time).toBe(byId.get(s.eventId)!.time);
      }
      for (const ref of [state.merged, state.opened, ...state.history, ...state.deployments, ...state.reviews, ...state.scans])
        expect(ref).toEqual(expect.objectContaining(clocks));
      expect(state).toEqual(expect.objectContaining({ firstTime: steps[0].time, lastTime: steps.at(-1).time }));
    });

    it('on every change, exception, approval, model, and budget alert listed', async () => {
      const [change] = (await get(`/v1/changes?status=rolled_back`)).body.changes;
      expect(change).toEqual(
        expect.objectContaining({
          firstRecordedAt: clocks.recordedAt,
          firstTime: clocks.time,
          lastTime: clocks.time,
          mergedAt: clocks.recordedAt,
          mergedTime: clocks.time,
        }),
      );
      const exceptions = (await get('/v1/exceptions?limit=1000')).body.exceptions;
      for (const x of exceptions) {
        expect(x).toEqual(expect.objectContaining(clocks));
        expect(x.time).toBe(byId.get(x.eventId)!.time);
      }
      for (const a of (await get('/v1/approvals?limit=1000')).body.approvals) expect(a).toEqual(expect.objectContaining(clocks));
      for (const m of (await get('/v1/inventory/models?limit=1000')).body.models)
        expect(m).toEqual(
          expect.objectContaining({
            firstSeen: clocks.recordedAt,
            lastSeen: clocks.recordedAt,
            firstTime: clocks.time,
            lastTime: clocks.time,
          }),
        );
      for (const b of (await get('/v1/spend/budget-alerts')).body.budgetAlerts) expect(b).toEqual(expect.objectContaining(clocks));
    });
  });

  describe('access', () => {
    it('never shows one tenant the forensics tables of another', async () => {
      await ledger.runtime.store.createTenant('globex');
      const globex = (await issueApiKey(ledger.runtime.store, { tenant: 'globex', name: 'globex auditor', role: 'auditor' })).key;
      expect((await get('/v1/changes', globex)).body.changes).toEqual([]);
      expect((await get('/v1/exceptions', globex)).body.exceptions).toEqual([]);
      expect((await get('/v1/inventory/models', globex)).body.models).toEqual([]);
      expect((await get('/v1/approvals', globex)).body.approvals).toEqual([]);
      expect((await get(`/v1/changes/${enc(scenario.showcase)}/timeline`, globex)).status).toBe(404);
      expect((await get(`/v1/changes/${enc(scenario.showcase)}/replay`, globex)).status).toBe(404);
    });

    it('is for auditors and admins only', async () => {
      expect((await get('/v1/changes', producer)).status).toBe(403);
      expect((await call(`${ledger.url}/v1/exceptions`)).status).toBe(401);
      expect((await get('/v1/changes', ledger.adminKey)).status).toBe(200);
    });
  });

  describe('bad input', () => {
    it.each([
      ['a change id that is too long', `/v1/changes/${'x'.repeat(1025)}/timeline`],
      ['a change id with a control character', `/v1/changes/a%01b/timeline`],
      ['an asOf that is neither a sequence nor a time', `/v1/changes/${enc(scenario.showcase)}/replay?asOf=yesterday`],
      ['a negative asOf', `/v1/changes/${enc(scenario.showcase)}/replay?asOf=-3`],
      ['an asOf on an unknown clock', `/v1/changes/${enc(scenario.showcase)}/replay?asOf=${enc('proven:2026-10-01T08:00:00Z')}`],
      ['an asOf naming a clock but no time', `/v1/changes/${enc(scenario.showcase)}/replay?asOf=occurred%3A`],
      ['a cursor that is not a number', '/v1/changes?after=abc'],
      ['a negative cursor', '/v1/exceptions?after=-1'],
      ['an oversize page', '/v1/approvals?limit=5000'],
      ['an oversize filter', `/v1/changes?repo=${'r'.repeat(600)}`],
      ['an unknown status', '/v1/changes?status=shipped'],
      ['an unknown rule', '/v1/exceptions?rule=nonesuch'],
      ['a time that is not RFC 3339', '/v1/exceptions?from=last-week'],
      ['a proofs flag that is not a boolean', `/v1/changes/${enc(scenario.showcase)}/timeline?proofs=maybe`],
      ['a repeated parameter', '/v1/changes?status=merged&status=opened'],
    ])('answers %s with 400 problem+json', async (_what, path) => {
      const res = await get(path);
      expect(res.status).toBe(400);
      expect(res.contentType).toContain('application/problem+json');
      expect(res.body.code).toBe('INVALID_QUERY');
    });
  });
});
