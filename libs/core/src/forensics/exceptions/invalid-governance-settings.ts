import { PRODUCER_ROLE_ATTRIBUTE } from '../governance-settings';
import { ExceptionRule } from './exception-rule';

// At a governance settings event: a field was present but malformed (or unknown) and was not
// applied, or the event was not posted by a governance role and nothing of it was applied; the
// previous settings stay in force — compliance must see that.
export const invalidGovernanceSettings: ExceptionRule = {
  id: 'invalid-governance-settings',
  title: 'Governance settings not applied',
  evaluate({ entry, rejectedSettings }) {
    if (rejectedSettings.length === 0) return [];
    if (rejectedSettings.includes(PRODUCER_ROLE_ATTRIBUTE)) {
      return [
        {
          rule: 'invalid-governance-settings' as const,
          reason: `settings posted by ${entry.producer}, a key without a governance role; not applied`,
          details: { fields: rejectedSettings, producer: entry.producer },
        },
      ];
    }
    return [
      {
        rule: 'invalid-governance-settings' as const,
        reason: `settings field${rejectedSettings.length > 1 ? 's' : ''} ${rejectedSettings.join(', ')} malformed or unknown; not applied`,
        details: { fields: rejectedSettings },
      },
    ];
  },
};
