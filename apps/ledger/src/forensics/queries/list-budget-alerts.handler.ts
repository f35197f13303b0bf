import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { Page } from '@evidence-ledger/ledger';
import { BudgetAlertDoc } from '@evidence-ledger/verify';
import { ForensicsRuntime } from '../forensics-runtime';
import { ListBudgetAlertsQuery } from './list-budget-alerts.query';

@QueryHandler(ListBudgetAlertsQuery)
export class ListBudgetAlertsHandler implements IQueryHandler<ListBudgetAlertsQuery, Page<BudgetAlertDoc>> {
  constructor(private readonly forensics: ForensicsRuntime) {}

  execute(q: ListBudgetAlertsQuery): Promise<Page<BudgetAlertDoc>> {
    return this.forensics.reader.listBudgetAlerts(q.tenant, q.filter);
  }
}
