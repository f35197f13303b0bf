import { StoreError } from '@evidence-ledger/store';
import { AppendHealth } from './append-health';

describe('append health', () => {
  let now = 0;
  const health = () => new AppendHealth(4, 60_000, () => now);
  const full = new StoreError('STORE_UNAVAILABLE', 'committing: database or disk is full');

  beforeEach(() => (now = Date.parse('2026-12-01T00:00:00Z')));

  it('is healthy with no commits, and while failures are at most half of the recent ones', () => {
    const h = health();
    expect(h.report()).toEqual({ healthy: true, recentCommits: 0, recentFailures: 0 });
    h.committed();
    h.failed(full);
    expect(h.report()).toMatchObject({ healthy: true, recentCommits: 2, recentFailures: 1 });
  });

  it('goes down when most of the last commits failed, naming the last failure by code only', () => {
    const h = health();
    h.committed();
    h.failed(full);
    h.failed(new Error('socket hang up'));
    expect(h.report()).toEqual({
      healthy: false,
      recentCommits: 3,
      recentFailures: 2,
      lastFailure: { at: '2026-12-01T00:00:00.000Z', code: 'INTERNAL' },
    });
  });

  it('looks at the last few commits only, and forgets outcomes older than the window', () => {
    const h = health();
    for (let i = 0; i < 4; i++) h.failed(full);
    expect(h.report().healthy).toBe(false);
    for (let i = 0; i < 2; i++) h.committed();
    expect(h.report()).toMatchObject({ healthy: true, recentCommits: 4, recentFailures: 2 });
    for (let i = 0; i < 3; i++) h.failed(full);
    expect(h.report()).toMatchObject({ healthy: false, recentCommits: 4, recentFailures: 3 });
    now += 60_001;
    expect(h.report()).toMatchObject({ healthy: true, recentCommits: 0, lastFailure: { code: 'STORE_UNAVAILABLE' } });
  });
});
