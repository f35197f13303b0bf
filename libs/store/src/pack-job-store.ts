import { LedgerError } from '@evidence-ledger/core';
import { LedgerStore } from './ledger-store';
import { StoreError } from './store-error';

export type PackJobStatus = 'queued' | 'building' | 'ready' | 'failed';

/** A JSON object the service owns; the store keeps it verbatim and never looks inside. */
export type PackJobDocument = Readonly<Record<string, unknown>>;

/** A job to queue: what was asked, by whom. */
export interface NewPackJob {
  /** UUIDv7: ids sort in the order jobs were queued. */
  readonly id: string;
  readonly tenant: string;
  readonly framework: string;
  /** The request (period, scope). */
  readonly request: PackJobDocument;
  /** RFC 3339. */
  readonly createdAt: string;
}

/** A job as stored. */
export interface PackJobRecord extends NewPackJob {
  readonly status: PackJobStatus;
  /** 0–100. */
  readonly progress: number;
  /** How many times a builder has claimed the job. */
  readonly attempts: number;
  /** The builder holding the job while it is `building`. */
  readonly owner?: string;
  /** Until when (ms since the epoch) the owner's claim holds; past it, any builder may take the job over. */
  readonly leaseUntil?: number;
  /** What the first builder fixed before building (checkpoint, previous pack), so a resumed build gives the same bytes. */
  readonly plan?: PackJobDocument;
  /** Set when ready. */
  readonly result?: PackJobDocument;
  /** Set when failed: why. */
  readonly error?: string;
  /** RFC 3339. */
  readonly updatedAt: string;
}

export type EnqueueOutcome = { readonly accepted: true } | { readonly accepted: false; readonly pending: number };

export interface PackJobQuery {
  readonly framework?: string;
  readonly status?: PackJobStatus;
  /** Only jobs with an id greater than this (ascending, in the order they were queued). */
  readonly after?: string;
  /** 1..1000 */
  readonly limit: number;
}

export interface PackJobPage {
  readonly jobs: PackJobRecord[];
  /** The cursor for the next page (`after`); undefined at the end. */
  readonly next?: string;
}

/** How a builder's claim ends. */
export type PackJobOutcome =
  { readonly status: 'ready'; readonly result: PackJobDocument } | { readonly status: 'failed'; readonly error: string };

export const MAX_PACK_JOB_QUERY_LIMIT = 1000;

/**
 * The PackJobStore port: evidence-pack jobs in the service's database, so every instance
 * sharing it sees the same jobs, and a job accepted before a crash is still there after it
 * (docs/evidence-packs.md, "Jobs").
 *
 * Builders coordinate through the store alone: `claim` hands a job to exactly one builder
 * (an atomic compare-and-set) with a lease the builder renews while it works; a builder whose
 * process died stops renewing, its lease runs out, and the next `claim` by any instance takes
 * the job over. `renew` and `finish` only act while the caller still owns the job, so a
 * builder that lost its lease can neither overwrite nor finish the new owner's work.
 */
export interface PackJobStore {
  /**
   * Queues a job unless the tenant already has `maxPending` jobs queued or building; the
   * count and the insert are one atomic step across processes.
   */
  enqueue(job: NewPackJob, maxPending: number): Promise<EnqueueOutcome>;
  /** The tenant's job; another tenant's is not found. */
  find(tenant: string, id: string): Promise<PackJobRecord | undefined>;
  /** One page of the tenant's jobs in the order they were queued (keyset pagination on id). */
  list(tenant: string, query: PackJobQuery): Promise<PackJobPage>;
  /**
   * Takes the oldest job that is queued, or building under a lease that ran out before `now`:
   * it becomes `building`, owned by `owner` until `leaseUntil`, its attempts counted. At most
   * one caller gets a given job; undefined when there is nothing to build.
   */
  claim(owner: string, now: number, leaseUntil: number): Promise<PackJobRecord | undefined>;
  /** Extends the owner's lease and records progress (and the plan, when given); false when the job is no longer the owner's. */
  renew(id: string, owner: string, update: { leaseUntil: number; progress: number; plan?: PackJobDocument }): Promise<boolean>;
  /** Ends the owner's claim as ready or failed; false (and nothing changed) when the job is no longer the owner's. */
  finish(id: string, owner: string, outcome: PackJobOutcome): Promise<boolean>;
  /** The newest ready job of the tenant and framework queued before `beforeId`. */
  latestReady(tenant: string, framework: string, beforeId: string): Promise<PackJobRecord | undefined>;
}

/** A LedgerStore whose database can also hold pack jobs. */
export interface PackJobStoreHost {
  packJobStore(): PackJobStore;
}

export function hasPackJobStore(store: LedgerStore): store is LedgerStore & PackJobStoreHost {
  return typeof (store as Partial<PackJobStoreHost>).packJobStore === 'function';
}

// The pack jobs of a store, or a clear error for an adapter that cannot hold them.
export function packJobStoreOf(store: LedgerStore): PackJobStore {
  if (!hasPackJobStore(store)) throw new StoreError('STORE_UNAVAILABLE', `the ${store.kind} store cannot hold evidence-pack jobs`);
  return store.packJobStore();
}

/** Checks a query's bounds the same way in every adapter. */
export function checkedPackJobQuery(query: PackJobQuery): PackJobQuery {
  if (!Number.isInteger(query.limit) || query.limit < 1 || query.limit > MAX_PACK_JOB_QUERY_LIMIT)
    throw new LedgerError('INVALID_QUERY', `limit must be 1..${MAX_PACK_JOB_QUERY_LIMIT}, got ${query.limit}`, { field: 'limit' });
  return query;
}
