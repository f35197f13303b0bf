import { ChangeState, TaskGrant } from '../change-state';
import { GovernanceSettings } from '../governance-settings';
import { ProjectedEntry } from '../projected-entry';

/** The control-exception rules (docs/forensics.md, "Control exceptions"). */
export type ExceptionRuleId =
  | 'merged-without-independent-approval'
  | 'approver-is-author'
  | 'merged-with-failing-scan'
  | 'merged-without-required-scan'
  | 'merged-after-policy-deny'
  | 'model-not-allowed'
  | 'deployed-without-approval'
  | 'agent-outside-scope'
  | 'invalid-governance-settings';

/** One exception a rule found at one entry. */
export interface ExceptionFinding {
  readonly rule: ExceptionRuleId;
  /** The change it concerns, when there is one. */
  readonly changeId?: string;
  /** One sentence an investigator reads first. */
  readonly reason: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** What a rule sees at one entry: the entry, and the tenant as of right after it. */
export interface RuleInput {
  readonly entry: ProjectedEntry;
  /** The state of each change the entry belongs to, with the entry applied. */
  readonly changes: readonly ChangeState[];
  readonly settings: GovernanceSettings;
  /** Settings fields the entry tried to set but were malformed (settings events only). */
  readonly rejectedSettings: readonly string[];
  /** The task an `agent.action.performed` names (`taskId`), when the log holds its request. */
  readonly task?: TaskGrant;
}

/**
 * A rule is a pure function of its input: evaluated when the entry is projected, and again
 * (with the same result) by any rebuild. A rule fires on the event where the control was
 * breached — a merge, a deployment, an approval, a model call, an agent action — so each
 * exception is reported as it happens and points at the entry that proves it.
 */
export interface ExceptionRule {
  readonly id: ExceptionRuleId;
  readonly title: string;
  evaluate(input: RuleInput): ExceptionFinding[];
}
