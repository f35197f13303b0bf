import { ListChangesHandler } from './list-changes.handler';
import { GetChangeTimelineHandler } from './get-change-timeline.handler';
import { ReplayChangeHandler } from './replay-change.handler';
import { ListExceptionsHandler } from './list-exceptions.handler';
import { ListModelsHandler } from './list-models.handler';
import { ListApprovalsHandler } from './list-approvals.handler';
import { ListSpendHandler } from './list-spend.handler';
import { ListBudgetAlertsHandler } from './list-budget-alerts.handler';

export const FORENSICS_QUERY_HANDLERS = [
  ListChangesHandler,
  GetChangeTimelineHandler,
  ReplayChangeHandler,
  ListExceptionsHandler,
  ListModelsHandler,
  ListApprovalsHandler,
  ListSpendHandler,
  ListBudgetAlertsHandler,
];
