import { DEMO_DEFAULT_START, demoPaceWithin, demoScenario, demoStartEndingBefore, demoStartOf } from './demo-scenario';

const times = (events: { time?: unknown }[]) => events.map((e) => Date.parse(String(e.time)));
// Everything but the times: the producer's `time`, the budget alert's period (the month the
// story starts in), and the due dates of management's responses (days after the start).
const withoutTimes = (events: { time?: unknown; type?: unknown; data?: unknown }[]) =>
  events.map(({ time: _time, ...rest }) =>
    rest.type === 'budget.threshold.crossed'
      ? { ...rest, data: { ...(rest.data as object), period: undefined } }
      : rest.type === 'exception.response.recorded'
        ? { ...rest, data: { ...(rest.data as object), dueDate: undefined } }
        : rest,
  );

describe('the demo scenario in time', () => {
  it('starts on 2026-10-01 unless told otherwise, and keeps its producer times in posting order', () => {
    const { events } = demoScenario();
    expect(events[0].time! >= DEMO_DEFAULT_START).toBe(true);
    const ms = times(events);
    expect(ms).toEqual([...ms].sort((a, b) => a - b));
  });

  it('moves as a whole: the same events, ids and stories, every time shifted by the same amount', () => {
    const fixed = demoScenario({ changes: 20 });
    const start = demoStartEndingBefore(Date.parse('2026-12-08T01:00:00Z'), { changes: 20 });
    const moved = demoScenario({ changes: 20, start });
    expect(withoutTimes(moved.events)).toEqual(withoutTimes(fixed.events));
    const shift = Date.parse(start) - Date.parse(DEMO_DEFAULT_START);
    expect(times(moved.events)).toEqual(times(fixed.events).map((t) => t + shift));
    const budget = moved.events.find((e) => e.type === 'budget.threshold.crossed')!;
    expect((budget.data as { period: unknown }).period).toEqual({ start: '2026-12-01T00:00:00Z', end: '2027-01-01T00:00:00Z' });
  });

  it('ends a story a minute or two before the moment given, starting on a whole minute', () => {
    const end = Date.parse('2026-12-08T01:00:00.500Z');
    const start = demoStartEndingBefore(end);
    expect(Date.parse(start) % 60_000).toBe(0);
    const last = Math.max(...times(demoScenario({ start }).events));
    expect(last).toBeLessThanOrEqual(end - 60_000);
    expect(last).toBeGreaterThan(end - 180_000);
  });

  it('can tell the same story faster, to last no longer than a given span', () => {
    const span = (events: { time?: unknown }[]) => Math.max(...times(events)) - Date.parse(DEMO_DEFAULT_START);
    const pace = demoPaceWithin(12 * 3_600_000);
    expect(pace).toBeLessThan(1);
    const fast = demoScenario({ pace });
    expect(span(fast.events)).toBeLessThanOrEqual(12 * 3_600_000 + fast.events.length);
    expect(span(fast.events)).toBeGreaterThan(11 * 3_600_000);
    expect(withoutTimes(fast.events)).toEqual(withoutTimes(demoScenario().events));
    expect(demoPaceWithin(1000 * 3_600_000)).toBe(1);
    const start = demoStartEndingBefore(Date.parse('2026-12-08T01:00:00Z'), { pace });
    const moved = demoScenario({ pace, start });
    expect(demoStartOf(moved.events[42].id as string, String(moved.events[42].time), { pace })).toBe(start);
  });

  it('finds the start a ledger holds the story at from any one of its events, and nothing from another id', () => {
    const start = '2026-12-06T22:28:00Z';
    const { events } = demoScenario({ start, seed: 7 });
    for (const e of [events[0], events[100], events.at(-1)!]) expect(demoStartOf(e.id as string, String(e.time), { seed: 7 })).toBe(start);
    expect(demoStartOf('00000000-0000-7000-8000-000000000000', String(events[0].time), { seed: 7 })).toBeUndefined();
    expect(demoStartOf(events[0].id as string, String(events[0].time), { seed: 8 })).toBeUndefined();
  });
});

describe("the demo scenario's management responses", () => {
  const scenario = demoScenario();
  const byId = new Map(scenario.events.map((e) => [e.id, e]));
  const named = (r: { data?: unknown }) => (r.data as { exception: { eventId: string; rule: string } }).exception;

  it('answers the failing-scan merge in the period and, after it, the unapproved model call; one response names no exception', () => {
    const [answered, unmatched] = scenario.responses.inPeriod;
    const [late] = scenario.responses.afterPeriod;
    const failing = scenario.planted.find((p) => p.rule === 'merged-with-failing-scan')!;
    expect(byId.get(named(answered).eventId)).toMatchObject({ type: 'change.merged', changeid: failing.changeId });
    expect(named(answered).rule).toBe('merged-with-failing-scan');
    expect(byId.get(named(late).eventId)).toMatchObject({ type: 'model.invocation.completed' });
    expect(named(late).rule).toBe('model-not-allowed');
    const clean = byId.get(named(unmatched).eventId)!;
    expect(scenario.clean).toContain(clean.changeid);
    expect(clean.type).toBe('change.merged');
  });

  it('posts the in-period responses last, with an admin role, and keeps the late one out of the events', () => {
    const ids = scenario.events.slice(-2).map((e) => e.id);
    expect(ids).toEqual(scenario.responses.inPeriod.map((e) => e.id));
    for (const r of [...scenario.responses.inPeriod, ...scenario.responses.afterPeriod])
      expect(r).toMatchObject({ type: 'exception.response.recorded', producerrole: 'admin' });
    expect(byId.has(scenario.responses.afterPeriod[0].id)).toBe(false);
  });
});
