import { StoredCheckpoint } from '@evidence-ledger/store';
import { LatestCheckpoints } from './latest-checkpoints';

const checkpoint = (treeSize: number): StoredCheckpoint => ({ treeSize, rootHash: Buffer.alloc(32, treeSize), note: `note ${treeSize}` });

describe('LatestCheckpoints', () => {
  let clock = 0;
  let stored: StoredCheckpoint | undefined;
  let reads = 0;
  const cache = () =>
    new LatestCheckpoints(
      async () => {
        reads++;
        return stored;
      },
      1000,
      () => clock,
    );

  beforeEach(() => {
    clock = 0;
    stored = checkpoint(5);
    reads = 0;
  });

  it('reads the store once, then serves what it learned until it is older than the limit', async () => {
    const latest = cache();
    expect(await latest.covering('acme')).toEqual(checkpoint(5));
    stored = checkpoint(9);
    clock = 1000;
    expect(await latest.covering('acme')).toEqual(checkpoint(5));
    expect(reads).toBe(1);
    clock = 1001;
    expect(await latest.covering('acme')).toEqual(checkpoint(9));
    expect(reads).toBe(2);
  });

  it('asks the store when the request needs a larger tree than it knows', async () => {
    const latest = cache();
    await latest.covering('acme');
    stored = checkpoint(9);
    expect(await latest.covering('acme', 6)).toEqual(checkpoint(9));
    expect(await latest.covering('acme', 12)).toEqual(checkpoint(9));
    expect(reads).toBe(3);
  });

  it('takes committed checkpoints without reading, never going back to a smaller tree', async () => {
    const latest = cache();
    latest.committed('acme', checkpoint(7));
    latest.committed('acme', checkpoint(6));
    expect(await latest.covering('acme')).toEqual(checkpoint(7));
    expect(reads).toBe(0);
  });

  it('keeps tenants apart and reports a tenant without checkpoints as such', async () => {
    const latest = cache();
    latest.committed('acme', checkpoint(7));
    stored = undefined;
    expect(await latest.covering('globex')).toBeUndefined();
    expect(await latest.covering('acme')).toEqual(checkpoint(7));
  });
});
