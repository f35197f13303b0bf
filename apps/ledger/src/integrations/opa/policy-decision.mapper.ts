import { EventEnvelope, InvalidEventError, isPlainObject, RFC3339 } from '@evidence-ledger/core';
import { foreignEventId } from '../foreign-event-id';
import { IgnoredItem } from '../ingest-reply';
import { jsonDigest } from '../json-digest';
import { PayloadReader } from '../payload-reader';
import { changeIdAt } from './change-id-path';
import { decisionOutcome } from './decision-outcome';
import { policyVersionOf } from './policy-version';

export interface DecisionLogMapping {
  readonly events: EventEnvelope[];
  readonly ignored: IgnoredItem[];
}

export interface DecisionLogOptions {
  /** Where the change id sits inside each decision's input (see change-id-path.ts). */
  readonly changeIdPath?: readonly string[];
}

const NAME = 256;
const RULES = 256;
// W3C trace-context trace-id: 32 lowercase hex digits, not all zero.
const TRACE_ID = /^(?!0{32})[0-9a-f]{32}$/;

/**
 * Translates one OPA decision-log upload into `policy.decision.recorded` events, one per
 * decision, in order. Never copies the input or the result: only their RFC 8785 SHA-256
 * digests. Decisions that are not allow/deny decisions (ad-hoc queries, non-boolean results)
 * are listed as ignored. A malformed decision rejects the whole upload, naming every field
 * at fault by its place in the upload (`[3].decision_id`).
 */
export function mapDecisionLog(decisions: readonly unknown[], options: DecisionLogOptions = {}): DecisionLogMapping {
  const events: EventEnvelope[] = [];
  const ignored: IgnoredItem[] = [];
  const readers: PayloadReader[] = [];
  decisions.forEach((decision, index) => {
    const reader = new PayloadReader(decision, `[${index}]`);
    readers.push(reader);
    const mapped = mapDecision(decision, reader, options);
    if (typeof mapped === 'string') ignored.push({ index, reason: mapped });
    else if (mapped) events.push(mapped);
  });
  const violations = readers.flatMap((r) => r.violations);
  if (violations.length > 0) throw new InvalidEventError('the upload contains malformed decisions; nothing was written', violations);
  return { events, ignored };
}

// One decision: its event, the reason it is not recorded, or undefined with violations in `r`.
function mapDecision(decision: unknown, r: PayloadReader, options: DecisionLogOptions): EventEnvelope | string | undefined {
  if (!isPlainObject(decision)) return r.violate('', 'must be a JSON object (an OPA decision log event)');
  // OPA's docs: "receivers should tolerate slash-prefixed paths".
  const path = r.optionalText('path', { max: NAME + 1 })?.replace(/^\//, '');
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
  const violatedRules = violatedRulesOf(r);
  const inputDigest = digestAt(r, 'input', decision.input ?? null);
  const resultDigest = digestAt(r, 'result', decision.result);
  if (r.violations.length > 0 || !decisionId || !version || !violatedRules || !inputDigest || !resultDigest) return undefined;

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
    ...(engineVersion && { engineversion: engineVersion }),
    ...(inputWasRedacted(decision) && { inputredacted: true }),
    data: {
      engine: 'opa',
      policyId: path,
      policyVersion: version.policyVersion,
      ...(version.bundleDigest && { bundleDigest: version.bundleDigest }),
      inputDigest,
      decision: outcome,
      violatedRules,
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
    throw e;
  }
}

// Rule ids come only from an explicit `violated_rules` array in an object result — a
// convention the policy author opts into. Deny messages are never copied: they often quote
// the input.
function violatedRulesOf(r: PayloadReader): string[] | undefined {
  const rules = r.value('result.violated_rules');
  if (rules === undefined || rules === null) return [];
  if (!Array.isArray(rules)) return r.violate('result.violated_rules', 'must be an array of rule ids');
  if (rules.length > RULES) return r.violate('result.violated_rules', `must hold at most ${RULES} rule ids`);
  const ids = rules.map((_, i) => r.text(`result.violated_rules.${i}`, { max: NAME }));
  return ids.every((id): id is string => id !== undefined) ? ids : undefined;
}

// OPA lists the JSON Pointers its masking policy erased or masked; the input digest then
// covers the input as logged, not as queried.
function inputWasRedacted(decision: Record<string, unknown>): boolean {
  const pointers = [decision.erased, decision.masked].flatMap((p) => (Array.isArray(p) ? p : []));
  return pointers.some((p) => typeof p === 'string' && (p === '/input' || p.startsWith('/input/')));
}
