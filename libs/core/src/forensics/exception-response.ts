import { Data, obj, str } from './event-data';
import { isGovernanceRole } from './governance-settings';
import { ProjectedEntry } from './projected-entry';

/** The catalog event by which management answers a control exception (docs/event-catalog.md). */
export const EXCEPTION_RESPONSE_TYPE = 'exception.response.recorded';

/** Where a remediation stands. */
export const RESPONSE_STATUSES = ['open', 'in-progress', 'remediated', 'risk-accepted'] as const;
export type ResponseStatus = (typeof RESPONSE_STATUSES)[number];

/** The exception a response answers: the entry it was raised on, and the rule (or test kind) that raised it. */
export interface ExceptionRef {
  readonly eventId: string;
  readonly rule: string;
}

/** One management response, with the entry that records it. */
export interface ExceptionResponse {
  readonly exception: ExceptionRef;
  readonly rootCause: string;
  readonly remediation: string;
  readonly owner: string;
  /** RFC 3339 date-time the remediation is due. */
  readonly dueDate: string;
  readonly status: ResponseStatus;
  /** The response entry's `id`, `sequence` and clocks. */
  readonly eventId: string;
  readonly sequence: number;
  readonly recordedAt: string;
  readonly time?: string;
  /** The change the response names in its envelope (`changeid`), when it names one. */
  readonly changeId?: string;
}

/**
 * The response an entry records, or undefined when it records none. Like governance settings,
 * a response counts only when a governance role posted it (the `producerrole` the service
 * stamps): a rebuild from the log alone honours exactly the responses the service accepted.
 */
export function responseOf(e: ProjectedEntry): ExceptionResponse | undefined {
  if (e.type !== EXCEPTION_RESPONSE_TYPE || !isGovernanceRole(e.producerRole)) return undefined;
  const d: Data = e.data;
  const ref = obj(d, 'exception');
  const eventId = str(ref, 'eventId');
  const rule = str(ref, 'rule');
  const [rootCause, remediation, owner, dueDate] = [str(d, 'rootCause'), str(d, 'remediation'), str(d, 'owner'), str(d, 'dueDate')];
  const status = str(d, 'status') as ResponseStatus | undefined;
  if (!eventId || !rule || !rootCause || !remediation || !owner || !dueDate || !status || !RESPONSE_STATUSES.includes(status))
    return undefined;
  return {
    exception: { eventId: eventId.toLowerCase(), rule },
    rootCause,
    remediation,
    owner,
    dueDate,
    status,
    eventId: e.id,
    sequence: e.sequence,
    recordedAt: e.recordedAt,
    ...(e.time !== undefined ? { time: e.time } : {}),
    ...(e.changeid !== undefined ? { changeId: e.changeid } : {}),
  };
}

/** The key that joins a response to the exceptions it answers (event ids compare case-blind, as UUIDs). */
export function exceptionKey(ref: ExceptionRef): string {
  return `${ref.eventId.toLowerCase()} ${ref.rule}`;
}

/** The latest response (highest sequence) per exception key. */
export function latestResponses(responses: Iterable<ExceptionResponse>): Map<string, ExceptionResponse> {
  const latest = new Map<string, ExceptionResponse>();
  for (const r of responses) {
    const key = exceptionKey(r.exception);
    const known = latest.get(key);
    if (!known || known.sequence < r.sequence) latest.set(key, r);
  }
  return latest;
}
