import { agentOutsideScope } from './agent-outside-scope';
import { approverIsAuthor } from './approver-is-author';
import { deployedWithoutApproval } from './deployed-without-approval';
import { ExceptionFinding, ExceptionRule, RuleInput } from './exception-rule';
import { invalidGovernanceSettings } from './invalid-governance-settings';
import { mergedAfterPolicyDeny } from './merged-after-policy-deny';
import { mergedWithFailingScan } from './merged-with-failing-scan';
import { mergedWithoutIndependentApproval } from './merged-without-independent-approval';
import { mergedWithoutRequiredScan } from './merged-without-required-scan';
import { modelNotAllowed } from './model-not-allowed';

/** Every rule, in the order findings of one entry are numbered. */
export const EXCEPTION_RULES: readonly ExceptionRule[] = [
  mergedWithoutIndependentApproval,
  approverIsAuthor,
  mergedWithFailingScan,
  mergedWithoutRequiredScan,
  mergedAfterPolicyDeny,
  modelNotAllowed,
  deployedWithoutApproval,
  agentOutsideScope,
  invalidGovernanceSettings,
];

/** Every exception the entry raises, rule by rule. */
export function evaluateRules(input: RuleInput, rules: readonly ExceptionRule[] = EXCEPTION_RULES): ExceptionFinding[] {
  return rules.flatMap((rule) => rule.evaluate(input));
}
