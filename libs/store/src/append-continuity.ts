import { EntryRow, LogHead, StoredCheckpoint } from './ledger-store';
import { StoreError } from './store-error';

/**
 * Every adapter's last check before it writes a batch: the rows must start at the log's
 * current size, run without gaps, and end where the new head and its checkpoint say —
 * anything else would fork or tear the log. STORE_CONFLICT otherwise, nothing written.
 */
export function assertRowsContinue(treeSize: number, rows: readonly EntryRow[], checkpoint: StoredCheckpoint, head: LogHead): void {
  const last = rows[rows.length - 1];
  const fits =
    rows.length > 0 &&
    rows.every((r, i) => r.sequence === treeSize + i) &&
    head.treeSize === treeSize + rows.length &&
    checkpoint.treeSize === head.treeSize &&
    last.chainHash.equals(head.chainHash);
  if (!fits) {
    throw new StoreError('STORE_CONFLICT', `rows do not continue the log at tree size ${treeSize}`, { details: { treeSize } });
  }
}
