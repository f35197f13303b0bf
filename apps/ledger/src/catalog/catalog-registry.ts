import { CATALOG_EVENT_TYPES, CatalogEventType } from '@evidence-ledger/core';
import {
  AgentActionPerformedDto,
  AgentTaskRequestedDto,
  BudgetThresholdCrossedDto,
  ChangeCommittedDto,
  ChangeMergedDto,
  ChangeOpenedDto,
  DeploymentCompletedDto,
  DeploymentRolledBackDto,
  ModelInvocationCompletedDto,
  PolicyDecisionRecordedDto,
  ReviewDecisionRecordedDto,
  ScanCompletedDto,
} from './dto';

/** A DTO class describing the `data` of one typed event. */
export type EventDataClass = new () => object;

/** The `data` DTO of every typed event of the v1 catalog (docs/design.md, "Event envelope and catalog"). */
export const CATALOG_DATA_CLASSES: Readonly<Record<CatalogEventType, EventDataClass>> = {
  'agent.task.requested': AgentTaskRequestedDto,
  'agent.action.performed': AgentActionPerformedDto,
  'model.invocation.completed': ModelInvocationCompletedDto,
  'policy.decision.recorded': PolicyDecisionRecordedDto,
  'scan.completed': ScanCompletedDto,
  'review.decision.recorded': ReviewDecisionRecordedDto,
  'change.opened': ChangeOpenedDto,
  'change.committed': ChangeCommittedDto,
  'change.merged': ChangeMergedDto,
  'deployment.completed': DeploymentCompletedDto,
  'deployment.rolled_back': DeploymentRolledBackDto,
  'budget.threshold.crossed': BudgetThresholdCrossedDto,
};

// Catalog order, so generated schemas and docs list the types as docs/design.md does.
export function catalogDataClasses(): [CatalogEventType, EventDataClass][] {
  return CATALOG_EVENT_TYPES.map((type) => [type, CATALOG_DATA_CLASSES[type]]);
}
