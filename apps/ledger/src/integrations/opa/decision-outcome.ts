import { isPlainObject } from '@evidence-ledger/core';

export type DecisionOutcome = 'allow' | 'deny';

/**
 * Reads allow/deny from an OPA decision's `result`, by one documented rule:
 * - a boolean: `true` allows, `false` denies (the strings "true" and "false" count too, as in
 *   OPA's own decision-log example);
 * - an object with a boolean `allow` member: that member decides.
 * Anything else (a set of messages, a number, no result because the rule was undefined) is not
 * an allow/deny decision: undefined, and the adapter leaves the decision unrecorded.
 */
export function decisionOutcome(result: unknown): DecisionOutcome | undefined {
  const verdict = isPlainObject(result) ? result.allow : result;
  if (verdict === true || verdict === 'true') return 'allow';
  if (verdict === false || verdict === 'false') return 'deny';
  return undefined;
}
