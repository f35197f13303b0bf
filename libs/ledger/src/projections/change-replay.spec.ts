import { canonicalJson } from '@evidence-ledger/core';
import { demoScenario } from '../samples/demo-scenario';
import { asEntries, projectInMemory } from '../testing/projected-entries';
import { isAtOrBefore, parseAsOf, replayChange } from './change-replay';
import { applyToChange, emptyChangeState, foldChange } from './change-state';
import { changeIdsOf } from './projected-entry';
import { ChangeDoc } from './read-model-docs';
import { TimelineStep } from './timeline-step';

const scenario = demoScenario();
const entries = asEntries(scenario.events);
const showcase = entries.filter((e) => changeIdsOf(e).includes(scenario.showcase));

describe('replaying a change', () => {
  it('reads asOf as a sequence or an RFC 3339 time, and nothing else', () => {
    expect(parseAsOf('42')).toEqual({ sequence: 42 });
    expect(parseAsOf('2026-10-01T10:00:00+02:00')).toEqual({ time: '2026-10-01T08:00:00.000Z' });
    for (const bad of ['', '-1', '4.2', 'yesterday', '2026-13-01T00:00:00Z', '2026-10-01', '1e3', '99999999999999999']) {
      expect(() => parseAsOf(bad)).toThrow(expect.objectContaining({ code: 'INVALID_QUERY' }));
    }
  });

  it('as of every sequence, equals a fold of exactly the entries at or before it', () => {
    for (const point of showcase) {
      const asOf = { sequence: point.sequence };
      const before = showcase.filter((e) => e.sequence <= point.sequence);
      const replay = replayChange(scenario.showcase, showcase, asOf);
      expect(canonicalJson(replay.state)).toBe(canonicalJson(foldChange(scenario.showcase, before)));
      expect(replay.steps.map((s) => s.sequence)).toEqual(before.map((e) => e.sequence));
    }
  });

  it('as of a time, takes every entry recorded at or before that instant', () => {
    const middle = showcase[Math.floor(showcase.length / 2)];
    const replay = replayChange(scenario.showcase, showcase, { time: middle.recordedAt });
    expect(replay.steps.at(-1)?.sequence).toBe(middle.sequence);
    expect(replay.steps.every((s) => isAtOrBefore(s, { time: middle.recordedAt }))).toBe(true);
    expect(replayChange(scenario.showcase, showcase, { time: '2000-01-01T00:00:00.000Z' }).steps).toEqual([]);
  });

  it('ends, at the last entry, in the state the timeline projection stored', async () => {
    const models = await projectInMemory(entries, { batchSize: 7 });
    const stored = models.rows('changes').find((r) => r.key === scenario.showcase);
    const { state } = JSON.parse(stored!.doc) as ChangeDoc;
    expect(canonicalJson(replayChange(scenario.showcase, showcase).state)).toBe(canonicalJson(state));
    const steps = models.rows('timeline').filter((r) => JSON.parse(r.doc).summary && r.key.startsWith(`${scenario.showcase}@`));
    expect(steps.map((r) => JSON.parse(r.doc) as TimelineStep)).toEqual(
      JSON.parse(JSON.stringify(replayChange(scenario.showcase, showcase).steps)),
    );
  });

  it('walks the showcase change through the whole state machine, rollback included', () => {
    const { state } = replayChange(scenario.showcase, showcase);
    expect(state.history.map((h) => h.status)).toEqual(['agent_work', 'policy', 'scans', 'reviews', 'merged', 'deployed', 'rolled_back']);
    expect(state.status).toBe('rolled_back');
    expect(state.deployments.map((d) => `${d.outcome}:${d.environment}`)).toEqual([
      'deployed:staging',
      'deployed:production',
      'rolled_back:production',
    ]);
  });
});

describe('the change reducer', () => {
  it('records who asked which agent, the models it used, verdicts, scans, reviews, merge and deployment', () => {
    const { state } = replayChange(scenario.showcase, showcase);
    expect(state.tasks[0]).toMatchObject({ agent: { id: expect.stringMatching(/^agent-/) }, requestedBy: { kind: 'human' } });
    expect(state.models.reduce((n, m) => n + m.calls, 0)).toBeGreaterThanOrEqual(2);
    expect(state.policies.map((p) => p.decision)).toContain('allow');
    expect(state.scans.map((s) => s.kind)).toEqual(['sast', 'secrets']);
    expect(state.reviews.map((r) => r.checkpoint)).toEqual(['merge', 'deploy']);
    expect(state.merged?.mergedBy?.kind).toBe('human');
    expect(state.author?.kind).toBe('agent');
    expect(state.agents).toContain(state.author?.id);
  });

  it('gives the same state however the entries are split, since it folds one entry at a time', () => {
    const whole = foldChange(scenario.showcase, showcase);
    const split = emptyChangeState(scenario.showcase);
    const copy = (s: unknown) => JSON.parse(JSON.stringify(s));
    let state = split;
    for (const e of showcase) state = applyToChange(copy(state), e);
    expect(canonicalJson(state)).toBe(canonicalJson(whole));
  });
});
