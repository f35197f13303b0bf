import { Approver, ChangeState } from './change-state';
import { ExceptionResponse } from './exception-response';
import { ExceptionRuleId } from './exceptions/exception-rule';
import { ProjectedActor } from './projected-entry';

/** The `doc` of a `changes` row. */
export interface ChangeDoc {
  readonly state: ChangeState;
  /** The change's exceptions, in order: number, rule, and the entry that raised it. */
  readonly exceptions: { readonly number: number; readonly rule: ExceptionRuleId; readonly sequence: number }[];
}

/** The `doc` of an `exceptions` row: one control exception, with the entry that proves it. */
export interface ExceptionDoc {
  readonly number: number;
  readonly rule: ExceptionRuleId;
  readonly title: string;
  readonly changeId?: string;
  readonly repository?: string;
  readonly sequence: number;
  readonly eventId: string;
  readonly type: string;
  /** When the entry that raised it was recorded (the ledger's clock, proven by the log). */
  readonly recordedAt: string;
  /** Its `time` (occurred, producer's clock), when the producer sent one. */
  readonly time?: string;
  readonly actor?: ProjectedActor;
  readonly reason: string;
  readonly details?: Readonly<Record<string, unknown>>;
  /** Management's latest response to it (highest sequence), when one was recorded. */
  response?: ExceptionResponse;
}

/**
 * The `doc` of a `responses` row: one `exception.response.recorded` entry, and whether the
 * exception it answers existed when it was recorded — an unmatched response is kept and
 * listed, never dropped.
 */
export interface ResponseDoc extends ExceptionResponse {
  readonly matched: boolean;
}

/** The `doc` of a `models` row: the AI inventory, per exact model version and team. */
export interface ModelUsageDoc {
  readonly provider: string;
  readonly model: string;
  readonly modelVersion: string;
  readonly team: string;
  calls: number;
  tokensIn: number;
  tokensOut: number;
  costMicros: number;
  /** `recordedAt` of the first and last call (the ledger's clock, proven by the log). */
  readonly firstSeen: string;
  readonly firstSequence: number;
  lastSeen: string;
  lastSequence: number;
  /** `time` of the first and last call (occurred, producer's clock), when they carry one. */
  readonly firstTime?: string;
  lastTime?: string;
  /** Distinct change ids seen calling it, up to the first 1000. */
  changes: string[];
}

/** The `doc` of an `approvals` row. */
export interface ApprovalDoc {
  readonly sequence: number;
  readonly eventId: string;
  readonly changeId?: string;
  readonly repository?: string;
  readonly checkpoint: string;
  readonly decision: string;
  readonly approver: Approver;
  readonly commit?: string;
  readonly rationale?: string;
  readonly recordedAt: string;
  readonly time?: string;
  /** Whether the approver was neither the author nor an agent of the change (unknown without a change). */
  readonly independent?: boolean;
  readonly author?: string;
}

/** The `doc` of a `spend` row: model spend of one team in one calendar month (UTC, by recordedAt). */
export interface SpendDoc {
  readonly team: string;
  readonly month: string;
  calls: number;
  tokensIn: number;
  tokensOut: number;
  costMicros: number;
  readonly firstSequence: number;
  lastSequence: number;
}

/** The `doc` of a `budget_alerts` row. */
export interface BudgetAlertDoc {
  readonly sequence: number;
  readonly eventId: string;
  readonly team: string;
  readonly budget: string;
  readonly spendUsd?: number;
  readonly thresholdUsd?: number;
  readonly limitUsd?: number;
  readonly period?: { readonly start?: string; readonly end?: string };
  readonly recordedAt: string;
  readonly time?: string;
}

/** The projection's counters (`state` row `counters`). */
export interface Counters {
  changes: number;
  exceptions: number;
}
