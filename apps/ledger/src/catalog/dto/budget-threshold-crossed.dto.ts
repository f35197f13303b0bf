import { JSONSchema } from 'class-validator-jsonschema';
import { IsBoundedText, IsNonNegativeNumber, IsRfc3339DateTime, OptionalField, ValidateNestedObject } from '../validators';
import { TEXT } from './text-limits';

const MAX_USD = 1e12;

@JSONSchema({ description: 'The budget period the spend is counted over.' })
export class BudgetPeriodDto {
  @IsRfc3339DateTime()
  @JSONSchema({ description: 'Start of the period, inclusive.' })
  start!: string;

  @IsRfc3339DateTime()
  @JSONSchema({ description: 'End of the period, exclusive.' })
  end!: string;
}

@JSONSchema({ description: 'AI spend of a team crossed a threshold of its budget.' })
export class BudgetThresholdCrossedDto {
  @IsBoundedText(TEXT.name)
  @JSONSchema({ description: 'Team (cost centre) the budget belongs to.' })
  team!: string;

  @IsBoundedText(TEXT.name)
  @JSONSchema({ description: 'Budget id or name.' })
  budget!: string;

  @IsNonNegativeNumber(MAX_USD)
  @JSONSchema({ description: 'Spend so far in the period, US dollars.' })
  spendUsd!: number;

  @IsNonNegativeNumber(MAX_USD)
  @JSONSchema({ description: 'The threshold crossed, US dollars.' })
  thresholdUsd!: number;

  @OptionalField()
  @IsNonNegativeNumber(MAX_USD)
  @JSONSchema({ description: 'The whole budget for the period, US dollars.' })
  limitUsd?: number;

  @ValidateNestedObject(() => BudgetPeriodDto)
  period!: BudgetPeriodDto;
}
