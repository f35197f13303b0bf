import { isPlainObject } from '@evidence-ledger/core';

export type DecisionOutcome = 'allow' | 'deny';

/**
 * Reads allow/deny from an OPA decision's `result`, by one documented rule:
 * - a boolean: `true` allows, `false` denies;
 * - an object with an `allow` member: that member decides, by the same rule;
 * - wherever a boolean counts, the exact strings "true" and "false" count as that boolean, as
 *   in OPA's own decision-log example (`"result": "true"`).
 * Anything else (a set of messages, a number, no result because the rule was undefined) is not
 * an allow/deny decision: undefined, and the adapter leaves the decision unrecorded.
 */
export function decisionOutcome(result: unknown): DecisionOutcome | undefined {
  const verdict = isPlainObject(result) ? result.allow : result;
  if (verdict === true || verdict === 'true') return 'allow';
  if (verdict === false || verdict === 'false') return 'deny';
  return undefined;
}
