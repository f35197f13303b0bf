import {
  applyToChange,
  AS_OF_SYNTAX,
  canonicalJson,
  changeIdsOf,
  emptyChangeState,
  foldChange,
  formatAsOf,
  isAtOrBefore,
  parseAsOf,
  parseAsOfPoint,
  ProjectedEntry,
  replayChange,
} from '@evidence-ledger/core';
import { demoScenario } from '@evidence-ledger/samples';
import { asEntries } from './testing/log-entries';

const scenario = demoScenario();
const entries = asEntries(scenario.events);
const showcase = entries.filter((e) => changeIdsOf(e).includes(scenario.showcase));
const entry = (sequence: number, recordedAt: string, time: string | undefined): ProjectedEntry => ({
  sequence,
  id: `e${sequence}`,
  type: 'scan.completed',
  source: 'urn:test',
  recordedAt,
  ...(time ? { time } : {}),
  producer: 'k',
  changeid: 'c#1',
  data: {},
});

describe('replaying a change', () => {
  it('reads asOf as a sequence or a time on a named clock; a bare time is on the recorded clock, and says so', () => {
    expect(parseAsOf('42')).toEqual({ sequence: 42 });
    expect(parseAsOfPoint('2026-10-01T10:00:00+02:00')).toEqual({
      asOf: { time: '2026-10-01T08:00:00.000Z', clock: 'recorded' },
      clockDefaulted: true,
    });
    expect(parseAsOfPoint('recorded:2026-10-01T08:00:00Z')).toEqual({
      asOf: { time: '2026-10-01T08:00:00.000Z', clock: 'recorded' },
      clockDefaulted: false,
    });
    expect(parseAsOf('occurred:2026-10-01T10:00:00.5+02:00')).toEqual({ time: '2026-10-01T08:00:00.500Z', clock: 'occurred' });
    expect(formatAsOf(parseAsOf('occurred:2026-10-01T08:00:00Z'))).toBe('occurred:2026-10-01T08:00:00.000Z');
    expect(formatAsOf({ time: '2026-10-01T08:00:00.000Z' })).toBe('recorded:2026-10-01T08:00:00.000Z');
    const bad = ['', '-1', '4.2', 'yesterday', '2026-13-01T00:00:00Z', '2026-10-01', '1e3', '99999999999999999'];
    for (const text of [...bad, 'occurred:', 'occurred:41', 'proven:2026-10-01T08:00:00Z', 'OCCURRED:2026-10-01T08:00:00Z']) {
      expect(() => parseAsOf(text)).toThrow(expect.objectContaining({ code: 'INVALID_QUERY', message: AS_OF_SYNTAX }));
    }
  });

  it('as of an occurred time, takes every entry whose producer time is at or before it, whenever it was recorded', () => {
    // Recorded in log order, but the producer of the third entry reported it late: it happened first.
    const late = [
      entry(0, '2026-12-08T10:00:00.000Z', '2026-10-01T08:05:00Z'),
      entry(1, '2026-12-08T10:00:01.000Z', '2026-10-01T08:10:00+00:00'),
      entry(2, '2026-12-08T10:00:02.000Z', '2026-10-01T10:01:00+02:00'),
      entry(3, '2026-12-08T10:00:03.000Z', undefined),
    ];
    const steps = (asOf: string) => replayChange('c#1', late, parseAsOf(asOf)).steps.map((s) => s.sequence);
    expect(steps('occurred:2026-10-01T08:01:00Z')).toEqual([2]);
    expect(steps('occurred:2026-10-01T08:05:00Z')).toEqual([0, 2]);
    expect(steps('occurred:2026-10-01T09:00:00Z')).toEqual([0, 1, 2]);
    // No producer time: it cannot have happened after it was recorded.
    expect(steps('occurred:2026-12-08T10:00:03Z')).toEqual([0, 1, 2, 3]);
    expect(steps('recorded:2026-12-08T10:00:01Z')).toEqual([0, 1]);
    expect(steps('2026-10-01T09:00:00Z')).toEqual([]);
    expect(replayChange('c#1', late, parseAsOf('occurred:2026-10-01T08:05:00Z')).steps[0]).toMatchObject({
      recordedAt: '2026-12-08T10:00:00.000Z',
      time: '2026-10-01T08:05:00Z',
    });
  });

  it('keeps both clocks of the entries the state refers to', () => {
    const { state } = replayChange(scenario.showcase, showcase);
    const bySequence = new Map(showcase.map((e) => [e.sequence, e]));
    expect(state.firstTime).toBe(showcase[0].time);
    expect(state.lastTime).toBe(showcase.at(-1)!.time);
    for (const ref of [state.merged!, ...state.deployments, ...state.history, ...state.reviews, ...state.scans, ...state.policies]) {
      const e = bySequence.get(ref.sequence)!;
      expect({ recordedAt: ref.recordedAt, time: ref.time }).toEqual({ recordedAt: e.recordedAt, time: e.time });
      expect(ref.time).toEqual(expect.any(String));
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
