import { nextStatus } from './change-status';

const walk = (types: string[]) => types.reduce<string | undefined>((s, t) => nextStatus(s as never, t), undefined);

describe('the change state machine', () => {
  it('moves a change forward through opened, agent work, policy, scans, reviews, merged and deployed', () => {
    const seen: (string | undefined)[] = [];
    let status: ReturnType<typeof nextStatus>;
    for (const t of [
      'change.opened',
      'agent.action.performed',
      'policy.decision.recorded',
      'scan.completed',
      'review.decision.recorded',
      'change.merged',
      'deployment.completed',
    ]) {
      status = nextStatus(status, t);
      seen.push(status);
    }
    expect(seen).toEqual(['opened', 'agent_work', 'policy', 'scans', 'reviews', 'merged', 'deployed']);
  });

  it('never moves a change back when an earlier stage happens late', () => {
    expect(walk(['change.opened', 'review.decision.recorded', 'scan.completed', 'model.invocation.completed'])).toBe('reviews');
    expect(walk(['change.merged', 'change.committed'])).toBe('merged');
  });

  it('starts at the stage of the first event, even before the change is opened', () => {
    expect(walk(['agent.task.requested'])).toBe('agent_work');
    expect(walk(['agent.task.requested', 'change.opened'])).toBe('agent_work');
  });

  it('switches between deployed and rolled back after a merge', () => {
    expect(walk(['change.merged', 'deployment.completed', 'deployment.rolled_back'])).toBe('rolled_back');
    expect(walk(['change.merged', 'deployment.completed', 'deployment.rolled_back', 'deployment.completed'])).toBe('deployed');
  });

  it('ignores types that do not belong to a stage', () => {
    expect(walk(['change.opened', 'x.acme.note', 'budget.threshold.crossed'])).toBe('opened');
    expect(walk(['x.acme.note'])).toBeUndefined();
  });
});
