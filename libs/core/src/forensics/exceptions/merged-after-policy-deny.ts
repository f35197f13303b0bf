import { PolicyVerdict } from '../change-state';
import { ExceptionRule } from './exception-rule';

// At `change.merged`: the latest decision of some policy on the change is `deny` (a later
// `allow` of the same policy id lifts an earlier deny).
export const mergedAfterPolicyDeny: ExceptionRule = {
  id: 'merged-after-policy-deny',
  title: 'Merged after a policy deny',
  evaluate({ entry, changes }) {
    if (entry.type !== 'change.merged') return [];
    return changes.flatMap((c) => {
      const latest = new Map<string, PolicyVerdict>();
      for (const p of c.policies) latest.set(p.policyId, p);
      const denied = [...latest.values()].filter((p) => p.decision === 'deny');
      if (denied.length === 0) return [];
      return [
        {
          rule: 'merged-after-policy-deny' as const,
          changeId: c.changeId,
          reason: `merged while ${denied.map((p) => `${p.policyId}${p.policyVersion ? `@${p.policyVersion}` : ''}`).join(', ')} denied it`,
          details: {
            policies: denied.map((p) => ({
              policyId: p.policyId,
              policyVersion: p.policyVersion ?? null,
              violatedRules: p.violatedRules,
              sequence: p.sequence,
            })),
          },
        },
      ];
    });
  },
};
