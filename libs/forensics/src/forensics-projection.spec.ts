import { demoScenario } from '@evidence-ledger/samples';
import { forensicEvents as ev } from '@evidence-ledger/samples';
import { asEntries } from '../../core/src/forensics/testing/log-entries';
import { projectInMemory } from './testing/memory-forensics-tables';
import { UNASSIGNED_TEAM } from './forensics-projection';
import {
  ApprovalDoc,
  canonicalJson,
  ChangeDoc,
  changeIdsOf,
  ModelUsageDoc,
  replayChange,
  SpendDoc,
  TimelineStep,
} from '@evidence-ledger/core';

const scenario = demoScenario();
const entries = asEntries(scenario.events);

describe('the forensic projection', () => {
  it('writes byte-identical forensics tables whatever the batch size', async () => {
    const whole = (await projectInMemory(entries)).dump();
    for (const batchSize of [1, 7, 100]) expect((await projectInMemory(entries, { batchSize })).dump()).toEqual(whole);
  });

  it('puts every change on its own timeline, once per entry', async () => {
    const tables = await projectInMemory(entries, { batchSize: 13 });
    expect(tables.rows('changes').map((r) => r.key)).toEqual(scenario.changes);
    const timeline = tables.rows('timeline');
    expect(new Set(timeline.map((r) => r.key)).size).toBe(timeline.length);
    expect(timeline.length).toBe(entries.filter((e) => e.changeid !== undefined).length);
  });

  it('counts every model call once in the inventory and in the spend, by exact version and team', async () => {
    const tables = await projectInMemory(entries, { batchSize: 9 });
    const calls = entries.filter((e) => e.type === 'model.invocation.completed');
    const inventory = tables.docs<ModelUsageDoc>('models');
    expect(inventory.reduce((n, m) => n + m.calls, 0)).toBe(calls.length);
    expect(inventory.reduce((n, m) => n + m.tokensIn, 0)).toBe(calls.reduce((n, e) => n + (e.data.tokensIn as number), 0));
    expect(new Set(inventory.map((m) => m.team))).toEqual(new Set(['payments', 'web', 'search', 'platform']));
    expect(inventory.some((m) => m.modelVersion === '2026-10-20-preview')).toBe(true);
    const spend = tables.docs<SpendDoc>('spend');
    expect(spend.reduce((n, s) => n + s.costMicros, 0)).toBe(inventory.reduce((n, m) => n + m.costMicros, 0));
  });

  it('attributes a call to the event team, else its change team, else to no team', async () => {
    const call = (o: { changeid?: string; team?: string }) =>
      ev.modelInvocation(o, { provider: 'p', model: 'm', modelVersion: 'v', tokensIn: 1, tokensOut: 1, costUsd: 0.5 });
    const tables = await projectInMemory(
      asEntries([
        ev.changeOpened(
          { changeid: 'c1', team: 'web' },
          { changeId: 'c1', repository: 'r', author: { kind: 'human', id: 'h' }, commits: ['a'.repeat(40)], aiGenerated: false },
        ),
        call({ changeid: 'c1' }),
        call({ changeid: 'c1', team: 'search' }),
        call({}),
      ]),
    );
    expect(tables.docs<ModelUsageDoc>('models').map((m) => `${m.team}:${m.calls}:${m.costMicros}`)).toEqual([
      'web:1:500000',
      'search:1:500000',
      `${UNASSIGNED_TEAM}:1:500000`,
    ]);
  });

  it('registers every review decision with whether the approver was independent', async () => {
    const tables = await projectInMemory(entries);
    const approvals = tables.docs<ApprovalDoc>('approvals');
    expect(approvals.length).toBe(entries.filter((e) => e.type === 'review.decision.recorded').length);
    const own = approvals.filter((a) => a.independent === false);
    expect(own.map((a) => a.changeId)).toEqual([scenario.planted.find((p) => p.rule === 'approver-is-author')?.changeId]);
  });

  it('stores, for a change, the state and steps its replay ends in', async () => {
    const showcase = entries.filter((e) => changeIdsOf(e).includes(scenario.showcase));
    const models = await projectInMemory(entries, { batchSize: 7 });
    const stored = models.rows('changes').find((r) => r.key === scenario.showcase);
    const { state } = JSON.parse(stored!.doc) as ChangeDoc;
    expect(canonicalJson(replayChange(scenario.showcase, showcase).state)).toBe(canonicalJson(state));
    const steps = models.rows('timeline').filter((r) => JSON.parse(r.doc).summary && r.key.startsWith(`${scenario.showcase}@`));
    expect(steps.map((r) => JSON.parse(r.doc) as TimelineStep)).toEqual(
      JSON.parse(JSON.stringify(replayChange(scenario.showcase, showcase).steps)),
    );
  });
});
