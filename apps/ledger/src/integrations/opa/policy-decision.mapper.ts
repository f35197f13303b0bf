import { EventEnvelope, isPlainObject, RFC3339 } from '@evidence-ledger/core';
import { foreignEventId } from '../foreign-event-id';
import { IgnoredItem } from '../ingest-reply';
import { jsonDigest } from '../json-digest';
import { PayloadReader } from '../payload-reader';
import { changeIdAt } from './change-id-path';
import { decisionOutcome } from './decision-outcome';
import { policyVersionOf } from './policy-version';
import { violatedRulesOf } from './violated-rules';

/** One decision the ledger records: its place in the upload and the event it becomes. */
export interface MappedDecision {
  readonly index: number;
  readonly event: EventEnvelope;
}

export interface DecisionLogMapping {
  readonly decisions: MappedDecision[];
  /** Decisions not recorded: not allow/deny decisions, malformed ones (with `errors`), repeats. */
  readonly ignored: IgnoredItem[];
}

export interface DecisionLogOptions {
  /** Where the change id sits inside each decision's input (see change-id-path.ts). */
  readonly changeIdPath?: readonly string[];
}

const NAME = 256;
// W3C trace-context trace-id: 32 lowercase hex digits, not all zero.
const TRACE_ID = /^(?!0{32})[0-9a-f]{32}$/;

/** The reason given for a decision that is malformed; its `errors` name the fields. */
export const MALFORMED_DECISION = 'a malformed decision, not recorded';

/**
 * Translates one OPA decision-log upload into `policy.decision.recorded` events, one per
 * decision, in order. Never copies the input or the result: only their RFC 8785 SHA-256
 * digests. Every decision stands alone, because OPA re-sends an upload that is not answered
 * 2xx, forever: one that is not an allow/deny decision (ad-hoc queries, non-boolean results)
 * or is malformed (no `decision_id`, a bad `timestamp`…) is listed as ignored — a malformed
 * one with `errors` naming each field by its place in the upload (`[3].decision_id`) — and
 * the others are recorded. A decision_id seen earlier in the same upload is ignored too.
 */
export function mapDecisionLog(decisions: readonly unknown[], options: DecisionLogOptions = {}): DecisionLogMapping {
  const mapped: MappedDecision[] = [];
  const ignored: IgnoredItem[] = [];
  const seen = new Map<string, number>();
  decisions.forEach((decision, index) => {
    const reader = new PayloadReader(decision, `[${index}]`);
    const event = mapDecision(decision, reader, options);
    if (reader.violations.length > 0) ignored.push({ index, reason: MALFORMED_DECISION, errors: [...reader.violations] });
    else if (typeof event === 'string') ignored.push({ index, reason: event });
    else if (event) {
      const first = seen.get(event.id);
      if (first === undefined) {
        seen.set(event.id, index);
        mapped.push({ index, event });
      } else ignored.push({ index, reason: `repeats the decision_id of decision [${first}] of this upload` });
    }
  });
  return { decisions: mapped, ignored };
}

// One decision: its event, the reason it is not recorded, or undefined with violations in `r`.
function mapDecision(decision: unknown, r: PayloadReader, options: DecisionLogOptions): EventEnvelope | string | undefined {
  if (!isPlainObject(decision)) return r.violate('', 'must be a JSON object (an OPA decision log event)');
  // OPA's docs: "receivers should tolerate slash-prefixed paths". The length is checked
  // without the slash.
  const path = r.optionalText('path', { max: Number.MAX_SAFE_INTEGER })?.replace(/^\//, '');
  if (!path) return decision.query !== undefined ? 'an ad-hoc query, not a policy decision' : 'no policy path';
  if (path.length > NAME) return r.violate('path', `must be at most ${NAME} characters`);
  const outcome = decisionOutcome(decision.result);
  if (!outcome) return 'the result is neither a boolean nor an object with a boolean "allow"';

  const decisionId = r.text('decision_id', { max: NAME });
  const time = r.optionalText('timestamp', { max: 40, pattern: RFC3339, hint: 'must be an RFC 3339 timestamp' });
  const instance = r.optionalText('labels.id', { max: NAME });
  const engineVersion = r.optionalText('labels.version', { max: NAME });
  const traceId = r.optionalText('trace_id', { max: 32, pattern: TRACE_ID, hint: 'must be a W3C trace-context trace-id' });
  const version = policyVersionOf(r);
  const violated = violatedRulesOf(r);
  const inputDigest = digestAt(r, 'input', decision.input ?? null);
  const resultDigest = digestAt(r, 'result', decision.result);
  if (r.violations.length > 0 || !decisionId || !version || !violated || !inputDigest || !resultDigest) return undefined;

  const changeid = changeIdAt(decision.input, options.changeIdPath);
  return {
    specversion: '1.0',
    id: foreignEventId('opa.decision', decisionId),
    source: instance ? `urn:opa:${encodeURIComponent(instance)}` : 'urn:opa',
    type: 'policy.decision.recorded',
    ...(time && { time }),
    datacontenttype: 'application/json',
    ...(changeid && { changeid }),
    ...(traceId && { correlationid: traceId }),
    resultdigest: resultDigest,
    ...(violated.count !== undefined && { violatedrulecount: violated.count }),
    ...(engineVersion && { engineversion: engineVersion }),
    ...(inputWasRedacted(decision) && { inputredacted: true }),
    data: {
      engine: 'opa',
      policyId: path,
      policyVersion: version.policyVersion,
      ...(version.bundleDigest && { bundleDigest: version.bundleDigest }),
      inputDigest,
      decision: outcome,
      violatedRules: violated.rules,
      decisionId,
    },
  };
}

// An absent input is digested as JSON null.
function digestAt(r: PayloadReader, path: string, value: unknown): string | undefined {
  try {
    return jsonDigest(value);
  } catch (e) {
    if (e instanceof RangeError) return r.violate(path, 'is nested too deeply to digest');
    if (e instanceof TypeError)
      return r.violate(path, 'holds a number beyond the range of a double (e.g. 1e400), which RFC 8785 cannot write');
    throw e;
  }
}

// OPA lists the JSON Pointers its masking policy erased or masked; the input digest then
// covers the input as logged, not as queried.
function inputWasRedacted(decision: Record<string, unknown>): boolean {
  const pointers = [decision.erased, decision.masked].flatMap((p) => (Array.isArray(p) ? p : []));
  return pointers.some((p) => typeof p === 'string' && (p === '/input' || p.startsWith('/input/')));
}
