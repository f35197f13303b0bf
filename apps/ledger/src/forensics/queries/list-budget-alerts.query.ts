import { Query } from '@nestjs/cqrs';
import { BudgetAlertDoc, ForensicsReader, Page } from '@evidence-ledger/ledger';

export class ListBudgetAlertsQuery extends Query<Page<BudgetAlertDoc>> {
  constructor(
    readonly tenant: string,
    readonly filter: Parameters<ForensicsReader['listBudgetAlerts']>[1],
  ) {
    super();
  }
}
