import { forensicEvents as ev } from '@evidence-ledger/samples';
import { EXCEPTION_RESPONSE_TYPE, ExceptionDoc, PRODUCER_ROLE_ATTRIBUTE, ResponseDoc } from '@evidence-ledger/core';
import { asEntries } from '../../core/src/forensics/testing/log-entries';
import { projectInMemory } from './testing/memory-forensics-tables';

const human = { kind: 'human', id: 'alice@acme.com' } as const;
const opened = ev.changeOpened(
  { changeid: 'c1' },
  { changeId: 'c1', repository: 'r', author: human, commits: ['a'.repeat(40)], aiGenerated: false },
);
// A merge with no approval and no scan: two exceptions at one entry, of two rules.
const merged = ev.changeMerged(
  { changeid: 'c1', id: '0190b6f2-7c1e-7a3b-9f00-00000000000a' },
  {
    changeId: 'c1',
    repository: 'r',
    author: human,
    commits: ['a'.repeat(40)],
    aiGenerated: false,
    mergedBy: human,
    mergeCommit: 'b'.repeat(40),
  },
);
const respond = (eventId: string, rule: string, status: 'open' | 'remediated', id?: string) =>
  ev.exceptionResponse(
    { changeid: 'c1', ...(id ? { id } : {}) },
    {
      exception: { eventId, rule },
      rootCause: 'gate off',
      remediation: 'gate on',
      owner: 'platform-team',
      dueDate: '2026-11-01T00:00:00Z',
      status,
    },
  );

const withoutRole = ({ [PRODUCER_ROLE_ATTRIBUTE]: _role, ...event }: Record<string, unknown>) => event;

describe('management responses in the forensics tables', () => {
  const events = [
    opened,
    merged,
    respond(merged.id as string, 'merged-without-independent-approval', 'open'),
    respond((merged.id as string).toUpperCase(), 'merged-without-independent-approval', 'remediated'),
    respond(merged.id as string, 'model-not-allowed', 'open'),
    withoutRole(respond(merged.id as string, 'merged-without-required-scan', 'open')),
  ];

  it('shows the latest response on the exception it answers, with its entry, and only there', async () => {
    for (const batchSize of [1, 2, 100]) {
      const tables = await projectInMemory(asEntries(events), { batchSize });
      const exceptions = tables.docs<ExceptionDoc>('exceptions');
      const answered = exceptions.find((x) => x.rule === 'merged-without-independent-approval');
      expect(answered?.response).toMatchObject({ status: 'remediated', sequence: 3, exception: { eventId: merged.id } });
      expect(answered?.response?.eventId).toBe(events[3].id);
      expect(exceptions.filter((x) => x.response !== undefined)).toHaveLength(1);
    }
  });

  it('keeps a response to an exception that does not exist as unmatched, and honours none posted without a governance role', async () => {
    const tables = await projectInMemory(asEntries(events));
    const responses = tables.docs<ResponseDoc>('responses');
    expect(responses.map((r) => [r.sequence, r.matched])).toEqual([
      [2, true],
      [3, true],
      [4, false],
    ]);
    expect(events.filter((e) => e.type === EXCEPTION_RESPONSE_TYPE)).toHaveLength(4);
  });

  it('writes byte-identical tables whatever the batch size', async () => {
    const whole = (await projectInMemory(asEntries(events))).dump();
    for (const batchSize of [1, 3]) expect((await projectInMemory(asEntries(events), { batchSize })).dump()).toEqual(whole);
  });
});
