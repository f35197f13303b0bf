import { StoredCheckpoint } from '@evidence-ledger/store';

interface Known {
  readonly checkpoint: StoredCheckpoint;
  readonly at: number;
}

/**
 * Each tenant's newest signed checkpoint as this process knows it, so a proof request costs
 * one store read (the nodes) instead of two. The tenant's sequencer records every checkpoint
 * it commits, which keeps a single-process ledger exact; another process appending to the
 * same database is noticed within `maxAgeMs`, or at once when a request names a larger tree.
 * A proof against a slightly older checkpoint is still a proof: it comes with that checkpoint.
 */
export class LatestCheckpoints {
  private readonly known = new Map<string, Known>();

  constructor(
    private readonly read: (tenant: string) => Promise<StoredCheckpoint | undefined>,
    private readonly maxAgeMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Records a checkpoint just committed (ignored if an even newer one is known). */
  committed(tenant: string, checkpoint: StoredCheckpoint): void {
    const current = this.known.get(tenant);
    if (!current || current.checkpoint.treeSize <= checkpoint.treeSize) this.known.set(tenant, { checkpoint, at: this.now() });
  }

  /** The newest checkpoint covering at least `minTreeSize` entries, read from the store when the known one is stale or too small. */
  async covering(tenant: string, minTreeSize = 0): Promise<StoredCheckpoint | undefined> {
    const current = this.known.get(tenant);
    if (current && current.checkpoint.treeSize >= minTreeSize && this.now() - current.at <= this.maxAgeMs) return current.checkpoint;
    const stored = await this.read(tenant);
    if (stored) this.committed(tenant, stored);
    return stored;
  }
}
