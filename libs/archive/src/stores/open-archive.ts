import { ArchiveEnvironment, ArchiveLocation, parseArchiveLocation } from './archive-location';
import { ArchiveStore } from './archive-store';
import { DiskArchiveStore } from './disk-archive-store';
import type { S3ArchiveOptions } from './s3-archive-store';

export interface OpenArchiveOptions extends S3ArchiveOptions {
  /** Variables besides `LEDGER_ARCHIVE` (LEDGER_S3_ENDPOINT, LEDGER_S3_REGION, …), as the caller read them; none when absent. */
  readonly env?: ArchiveEnvironment;
}

// Opens the archive a `LEDGER_ARCHIVE` value names (docs/archive.md): S3 with Object Lock for
// `s3://bucket/prefix`, else a local directory (default ./data/archive). The S3 client is
// loaded only when an S3 archive is opened (it adds ~70 ms to every start otherwise).
export async function openArchive(location: string | ArchiveLocation | undefined, options: OpenArchiveOptions = {}): Promise<ArchiveStore> {
  const target = typeof location === 'object' ? location : parseArchiveLocation(location, options.env ?? {});
  if (target.kind === 's3') {
    const { S3ArchiveStore } = await import('./s3-archive-store');
    return S3ArchiveStore.open(target, options);
  }
  return DiskArchiveStore.open(target.directory, options);
}
