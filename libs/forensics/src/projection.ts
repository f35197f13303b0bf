import { ForensicsRow, ForensicsTable, RowUpsert } from '@evidence-ledger/store';
import { ProjectedEntry } from '@evidence-ledger/core';

/** Where a projection reads the rows it has written before (committed, or cached after commit). */
export interface RowSource {
  read(table: string, keys: readonly string[]): Promise<ForensicsRow[]>;
}

/**
 * A projection: a named fold of the log into forensics rows, with its own position. The
 * runner hands it the entries after its position, in order, and writes what it returns in
 * the same transaction as the new position — so applying a batch twice is impossible, and
 * a crash before the commit loses the batch as a whole, to be applied again.
 */
export interface Projection {
  readonly name: string;
  readonly tables: readonly ForensicsTable[];
  /**
   * Folds `entries` (ascending, contiguous, the first at this projection's position) into
   * rows to insert or replace. Deterministic: the same entries and the same stored rows
   * always give the same rows, byte for byte.
   */
  apply(entries: readonly ProjectedEntry[], rows: RowSource): Promise<RowUpsert[]>;
}
