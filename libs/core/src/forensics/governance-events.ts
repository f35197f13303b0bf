import { EXCEPTION_RESPONSE_TYPE } from './exception-response';
import { GOVERNANCE_SETTINGS_TYPE } from './governance-settings';

/**
 * The events only a governance role records: the settings the rules judge by, and
 * management's responses to the exceptions the rules raise. The service judged by the rules
 * (a producer key) records neither, and a governance key records nothing else; the service
 * stamps the key's role on each (`producerrole`), and the forensics honour nothing else.
 */
export const GOVERNANCE_EVENT_TYPES: readonly string[] = [GOVERNANCE_SETTINGS_TYPE, EXCEPTION_RESPONSE_TYPE];

export function isGovernanceEventType(type: string): boolean {
  return GOVERNANCE_EVENT_TYPES.includes(type);
}
