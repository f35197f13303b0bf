import { PackJobDocument, PackJobPage, PackJobRecord, PackJobStatus } from './pack-job-store';
import { StoreError } from './store-error';

/** A `pack_jobs` row as both adapters read it; times as RFC 3339 text or a Date, bigint as text. */
export interface PackJobRow {
  id: string;
  tenant: string;
  framework: string;
  status: PackJobStatus;
  progress: number;
  attempts: number;
  owner: string | null;
  lease_until: number | string | null;
  request: string;
  plan: string | null;
  result: string | null;
  error: string | null;
  created_at: string | Date;
  updated_at: string | Date;
}

export const PACK_JOB_COLUMNS =
  'id, tenant, framework, status, progress, attempts, owner, lease_until, request, plan, result, error, created_at, updated_at';

/** The statuses a job is still waiting for a builder in (the per-tenant limit counts these). */
export const PENDING_PACK_STATUSES: readonly PackJobStatus[] = ['queued', 'building'];

const instant = (t: string | Date): string => (typeof t === 'string' ? t : t.toISOString());

function document(text: string, column: string, id: string): PackJobDocument {
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as PackJobDocument;
  } catch {
    // reported below
  }
  throw new StoreError('STORE_CORRUPT', `pack job ${id}: column ${column} does not hold a JSON object`);
}

export const toPackJobRecord = (r: PackJobRow): PackJobRecord => ({
  id: r.id,
  tenant: r.tenant,
  framework: r.framework,
  request: document(r.request, 'request', r.id),
  createdAt: instant(r.created_at),
  status: r.status,
  progress: r.progress,
  attempts: r.attempts,
  ...(r.owner !== null && { owner: r.owner }),
  ...(r.lease_until !== null && { leaseUntil: Number(r.lease_until) }),
  ...(r.plan !== null && { plan: document(r.plan, 'plan', r.id) }),
  ...(r.result !== null && { result: document(r.result, 'result', r.id) }),
  ...(r.error !== null && { error: r.error }),
  updatedAt: instant(r.updated_at),
});

// Rows fetched with `limit + 1`: the extra row only says there is a next page.
export function toPackJobPage(rows: PackJobRow[], limit: number): PackJobPage {
  const jobs = rows.slice(0, limit).map(toPackJobRecord);
  return rows.length > limit ? { jobs, next: jobs[jobs.length - 1].id } : { jobs };
}
