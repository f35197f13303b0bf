import { Query } from '@nestjs/cqrs';
import { ForensicsReader, Page } from '@evidence-ledger/ledger';
import { BudgetAlertDoc } from '@evidence-ledger/verify';

export class ListBudgetAlertsQuery extends Query<Page<BudgetAlertDoc>> {
  constructor(
    readonly tenant: string,
    readonly filter: Parameters<ForensicsReader['listBudgetAlerts']>[1],
  ) {
    super();
  }
}
