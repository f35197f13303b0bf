import { LedgerError, projectEntry } from '@evidence-ledger/core';
import { ForensicsStore, ForensicsTransaction, ForensicsRow, RowUpsert } from '@evidence-ledger/store';
import { Projection } from './projection';

export interface ProjectionRunnerOptions {
  readonly store: ForensicsStore;
  readonly tenant: string;
  readonly projections: readonly Projection[];
  /** Entries per transaction (default 1000). */
  readonly batchSize?: number;
  /** Rows kept in memory between batches (default 50,000). */
  readonly cacheRows?: number;
}

export interface StepResult {
  /** Entries applied by this step (0 when the forensics tables were up to date). */
  readonly applied: number;
  /** The lowest position of the runner's projections after the step. */
  readonly position: number;
  /** True when the step read fewer entries than a batch: the log's end was reached. */
  readonly caughtUp: boolean;
}

/**
 * Applies the log to a tenant's forensics tables, in order, from the position each projection
 * has stored — catch-up and live alike, one transaction per batch:
 *
 * 1. take the tenant's forensics lock and read the stored positions;
 * 2. read the committed entries from the lowest position;
 * 3. let each projection fold the entries at or after its own position;
 * 4. write the rows and the new positions together, and commit.
 *
 * The position moves only with the rows, so a crash or restart anywhere neither skips an
 * entry nor applies one twice, and a runner in another process is never fooled: positions
 * are re-read under the lock every batch, and a moved position discards this runner's cache.
 */
export class ProjectionRunner {
  private readonly batchSize: number;
  private readonly cache: RowCache;
  private expected?: Readonly<Record<string, number>>;

  constructor(private readonly options: ProjectionRunnerOptions) {
    this.batchSize = options.batchSize ?? 1000;
    this.cache = new RowCache(options.cacheRows ?? 50_000);
  }

  get tenant(): string {
    return this.options.tenant;
  }

  /** The lowest position committed by this runner's last step, if it ran one. */
  get position(): number | undefined {
    return this.expected && lowest(this.options.projections, this.expected);
  }

  async step(): Promise<StepResult> {
    const { store, tenant, projections } = this.options;
    let written: RowUpsert[] = [];
    try {
      const result = await store.withTransaction(tenant, async (tx) => {
        const positions = await tx.positions();
        if (!samePositions(positions, this.expected, projections)) this.cache.clear();
        const from = lowest(projections, positions);
        const source = await tx.readEntries(from, this.batchSize);
        source.forEach((s, i) => {
          if (s.sequence !== from + i)
            throw new LedgerError('STORE_CORRUPT', `entry ${from + i} of ${tenant} is missing`, { sequence: from + i });
        });
        const entries = source.map((s) => projectEntry(s.sequence, s.canonical));
        const next: Record<string, number> = {};
        for (const p of projections) {
          const at = positions[p.name] ?? 0;
          const mine = entries.filter((e) => e.sequence >= at);
          if (mine.length > 0) written.push(...(await p.apply(mine, { read: (table, keys) => this.cache.read(tx, table, keys) })));
          next[p.name] = Math.max(at, from + entries.length);
        }
        if (entries.length > 0) await tx.write({ upserts: written, positions: next });
        return { applied: entries.length, positions: entries.length > 0 ? next : positions };
      });
      this.cache.putAll(written);
      this.expected = result.positions;
      return { applied: result.applied, position: lowest(projections, result.positions), caughtUp: result.applied < this.batchSize };
    } catch (e) {
      written = [];
      this.cache.clear();
      this.expected = undefined;
      throw e;
    }
  }

  /** Steps until the end of the log as it stood; returns the entries applied. */
  async catchUp(onStep?: (step: StepResult) => void): Promise<number> {
    let applied = 0;
    for (;;) {
      const step = await this.step();
      applied += step.applied;
      onStep?.(step);
      if (step.caughtUp) return applied;
    }
  }
}

function lowest(projections: readonly Projection[], positions: Readonly<Record<string, number>>): number {
  return Math.min(...projections.map((p) => positions[p.name] ?? 0));
}

function samePositions(
  a: Readonly<Record<string, number>>,
  b: Readonly<Record<string, number>> | undefined,
  projections: readonly Projection[],
) {
  return b !== undefined && projections.every((p) => (a[p.name] ?? 0) === (b[p.name] ?? 0));
}

// Committed rows the runner wrote, so a hot change or model row is not read back from the
// database every batch. Only tables the projections read back are kept (not the timeline,
// which is only ever inserted). Filled only after a commit succeeds; cleared whenever the
// stored positions are not the ones this runner last committed.
class RowCache {
  private readonly rows = new Map<string, ForensicsRow>();
  private readonly readBack = new Set<string>();

  constructor(private readonly limit: number) {}

  async read(tx: ForensicsTransaction, table: string, keys: readonly string[]): Promise<ForensicsRow[]> {
    this.readBack.add(table);
    const found: ForensicsRow[] = [];
    const missing: string[] = [];
    for (const key of keys) {
      const row = this.rows.get(`${table}\n${key}`);
      if (row) found.push(row);
      else missing.push(key);
    }
    if (missing.length > 0) found.push(...(await tx.readRows(table, missing)));
    return found;
  }

  putAll(upserts: readonly RowUpsert[]): void {
    const kept = upserts.filter((u) => this.readBack.has(u.table));
    if (this.rows.size + kept.length > this.limit) this.rows.clear();
    for (const u of kept) this.rows.set(`${u.table}\n${u.row.key}`, u.row);
  }

  clear(): void {
    this.rows.clear();
  }
}
