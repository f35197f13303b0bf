import { sha256 } from '@evidence-ledger/core';
import { exactCanonicalJson } from '../exact-json';
import { PayloadReader } from '../payload-reader';

/** How many rules `data.violatedRules` holds, and how long each may be (the catalog's limits). */
export const VIOLATED_RULE_LIMITS = { items: 256, length: 256 } as const;

export interface ViolatedRules {
  /** At most 256 entries, in the policy's order. */
  readonly rules: string[];
  /** How many the policy listed, set only when there were more than were recorded. */
  readonly count?: number;
}

// Rule ids come only from an explicit `violated_rules` member of an object result — a
// convention the policy author opts into; deny messages are never copied (they often quote
// the input). Whatever the policy put there is recorded rather than refused, because OPA
// re-sends a refused upload forever: a rule id string as it is; any other value (an object
// `{"id": …, "msg": …}`, a number) as its canonical JSON text; an entry whose text is over
// 256 characters as `sha256:` + the hex SHA-256 of that text; past 256 entries, the first
// 256 and the total count. The `resultdigest` covers the exact result, so all of it stays
// verifiable. Undefined, with a violation in `r`, only when the result cannot be serialized.
export function violatedRulesOf(r: PayloadReader): ViolatedRules | undefined {
  const listed = r.value('result.violated_rules');
  if (listed === undefined || listed === null) return { rules: [] };
  const all = Array.isArray(listed) ? listed : [listed];
  const rules: string[] = [];
  for (const rule of all.slice(0, VIOLATED_RULE_LIMITS.items)) {
    const entry = ruleEntry(rule);
    if (entry === undefined) return r.violate('result.violated_rules', 'holds a value that has no JSON representation');
    rules.push(entry);
  }
  return all.length > VIOLATED_RULE_LIMITS.items ? { rules, count: all.length } : { rules };
}

function ruleEntry(rule: unknown): string | undefined {
  if (typeof rule === 'string' && rule.length > 0 && rule.length <= VIOLATED_RULE_LIMITS.length) return rule;
  let text: string;
  try {
    text = exactCanonicalJson(rule);
  } catch {
    return undefined;
  }
  return text.length <= VIOLATED_RULE_LIMITS.length ? text : `sha256:${sha256(Buffer.from(text, 'utf8')).toString('hex')}`;
}
