import { ExceptionRule } from './exception-rule';

// At a governance settings event: a field was present but malformed (or unknown) and was not
// applied, so the previous setting stays in force — compliance must see that.
export const invalidGovernanceSettings: ExceptionRule = {
  id: 'invalid-governance-settings',
  title: 'Governance settings not applied',
  evaluate({ rejectedSettings }) {
    if (rejectedSettings.length === 0) return [];
    return [
      {
        rule: 'invalid-governance-settings' as const,
        reason: `settings field${rejectedSettings.length > 1 ? 's' : ''} ${rejectedSettings.join(', ')} malformed or unknown; not applied`,
        details: { fields: rejectedSettings },
      },
    ];
  },
};
