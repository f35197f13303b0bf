import { BuiltPack, PackLock } from '@evidence-ledger/evidence';
import { PackCheckpointRef } from '@evidence-ledger/verify';
import { PackJobRecord, PackJobStatus } from '@evidence-ledger/store';

export type PackStatus = PackJobStatus;

export type PackSummary = BuiltPack['controls']['summary'];

/** What the request fixed: the period and the scope. Stored as the job's `request`. */
export interface PackJobRequest {
  readonly from: string;
  readonly to: string;
  readonly scope: { readonly repositories: readonly string[] };
}

/** What the first build fixed before it began, so a resumed build makes the same zip. Stored as the job's `plan`. */
export interface PackJobPlan {
  readonly treeSize: number;
  readonly previous?: PackCheckpointRef;
  /** What controls.json states about the pack's retention, and the date the archive is asked to keep it until. */
  readonly retention: PackLock['retention'];
  readonly retainUntil: string;
}

/** What a ready pack is. Stored as the job's `result`. */
export interface PackJobResult {
  readonly checkpoint: PackCheckpointRef;
  readonly sha256: string;
  readonly size: number;
  /** Whether the archive locks the pack: a directory archive does not, and no retention is claimed. */
  readonly locked: boolean;
  /** Only when locked (S3 Object Lock). */
  readonly retainUntil?: string;
  readonly summary: PackSummary;
}

/** An evidence pack as the service answers about it (`GET /v1/evidence-packs/:id`). */
export interface PackJob {
  readonly id: string;
  readonly tenant: string;
  readonly framework: string;
  readonly from: string;
  readonly to: string;
  readonly scope: { readonly repositories: readonly string[] };
  readonly status: PackStatus;
  /** 0–100. */
  readonly progress: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly error?: string;
  /** Set when ready. */
  readonly checkpoint?: PackCheckpointRef;
  readonly sha256?: string;
  readonly size?: number;
  readonly locked?: boolean;
  readonly retainUntil?: string;
  readonly summary?: PackSummary;
}

// A stored job as the API shows it: the request's and the result's fields side by side.
export function toPackJob(record: PackJobRecord): PackJob {
  const request = record.request as unknown as PackJobRequest;
  const result = record.result as unknown as PackJobResult | undefined;
  return {
    id: record.id,
    tenant: record.tenant,
    framework: record.framework,
    from: request.from,
    to: request.to,
    scope: { repositories: [...request.scope.repositories] },
    status: record.status,
    progress: record.progress,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    ...(record.error !== undefined ? { error: record.error } : {}),
    ...(result ? result : {}),
  };
}
