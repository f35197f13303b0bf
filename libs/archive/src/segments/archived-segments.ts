import { TENANT_NAME } from '@evidence-ledger/core';
import { ArchiveStore } from '../stores';
import { parseSegmentKey, SegmentRef, segmentPrefix } from './segment-keys';

/** A tenant's archived segments in log order, and the keys under its prefix that are not segments. */
export interface ArchivedSegments {
  readonly segments: readonly SegmentRef[];
  readonly strangers: readonly string[];
}

export async function listSegments(archive: ArchiveStore, tenant: string): Promise<ArchivedSegments> {
  const segments: SegmentRef[] = [];
  const strangers: string[] = [];
  for await (const { key } of archive.list(segmentPrefix(tenant))) {
    const ref = parseSegmentKey(key);
    if (ref && ref.tenant === tenant) segments.push(ref);
    else strangers.push(key);
  }
  segments.sort((a, b) => a.from - b.from || a.to - b.to);
  return { segments, strangers };
}

// Tenants with at least one object under segments/, sorted.
export async function listArchivedTenants(archive: ArchiveStore): Promise<string[]> {
  const tenants = new Set<string>();
  for await (const { key } of archive.list('segments/')) {
    const tenant = key.split('/')[1];
    if (tenant !== undefined && TENANT_NAME.test(tenant)) tenants.add(tenant);
  }
  return [...tenants].sort();
}
