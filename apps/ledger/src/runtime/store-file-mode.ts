import { promises as fs } from 'node:fs';
import { LedgerStore } from '@evidence-ledger/store';

// New SQLite databases are created 0600; one created by an earlier version (0644) or copied in
// may be readable by others. It holds every event and the webhook secrets, so the operator is
// told at startup — the service does not change a mode someone chose.
export async function sharedStoreFileWarning(store: LedgerStore): Promise<string | undefined> {
  if (store.kind !== 'sqlite' || process.platform === 'win32') return undefined;
  const file = store.location.replace(/^sqlite:/, '');
  const modes = await Promise.all(
    [file, `${file}-wal`, `${file}-shm`].map(async (path) => {
      const stat = await fs.stat(path).catch(() => undefined);
      return stat && (stat.mode & 0o077) !== 0 ? `${path} (${(stat.mode & 0o777).toString(8).padStart(4, '0')})` : undefined;
    }),
  );
  const shared = modes.filter((m): m is string => m !== undefined);
  if (shared.length === 0) return undefined;
  return `the store's files are readable by other users: ${shared.join(', ')}; they hold every event and the webhook secrets — chmod 600 ${file} ${file}-wal ${file}-shm`;
}
