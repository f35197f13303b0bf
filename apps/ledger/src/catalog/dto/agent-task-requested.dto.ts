import { JSONSchema } from 'class-validator-jsonschema';
import {
  IsBoundedArray,
  IsBoundedText,
  IsNonNegativeInteger,
  IsNonNegativeNumber,
  IsSha256Digest,
  OptionalField,
  RequiredUnless,
  ValidateNestedObject,
} from '../validators';
import { AgentIdentityDto } from './agent-identity.dto';
import { PrincipalDto } from './principal.dto';
import { ITEMS, TEXT } from './text-limits';

@JSONSchema({ description: 'What the agent may touch for this task.' })
export class AgentTaskScopeDto {
  @IsBoundedArray({ min: 1, max: ITEMS.paths })
  @IsBoundedText(TEXT.target, { each: true })
  @JSONSchema({ description: 'Repository paths or globs the agent may change.' })
  paths!: string[];

  @IsBoundedArray({ max: ITEMS.permissions })
  @IsBoundedText(TEXT.name, { each: true })
  @JSONSchema({ description: 'Permissions granted, e.g. "fs:write", "net:registry.npmjs.org".' })
  permissions!: string[];
}

@JSONSchema({ description: 'Spending caps for the task; omitted caps are unlimited.' })
export class AgentTaskBudgetDto {
  @OptionalField()
  @IsNonNegativeNumber(1e9)
  @JSONSchema({ description: 'Maximum model spend in US dollars.' })
  maxCostUsd?: number;

  @OptionalField()
  @IsNonNegativeInteger()
  @JSONSchema({ description: 'Maximum model tokens, input and output together.' })
  maxTokens?: number;
}

@JSONSchema({
  description:
    'Someone asked an AI agent to do a task: which agent, on which repository, with what scope and budget. ' +
    'Carry `summary`, `descriptionDigest`, or both.',
  anyOf: [{ required: ['summary'] }, { required: ['descriptionDigest'] }],
})
export class AgentTaskRequestedDto {
  @IsBoundedText(TEXT.name)
  @JSONSchema({ description: 'Task id; later `agent.action.performed` events carry it.' })
  taskId!: string;

  @ValidateNestedObject(() => AgentIdentityDto)
  agent!: AgentIdentityDto;

  @ValidateNestedObject(() => PrincipalDto)
  @JSONSchema({ description: 'Who asked for the task.' })
  requestedBy!: PrincipalDto;

  @IsBoundedText(TEXT.locator)
  @JSONSchema({ description: 'Repository, e.g. "github.com/acme/pay".' })
  repository!: string;

  @ValidateNestedObject(() => AgentTaskScopeDto)
  scope!: AgentTaskScopeDto;

  @OptionalField()
  @ValidateNestedObject(() => AgentTaskBudgetDto)
  budget?: AgentTaskBudgetDto;

  @RequiredUnless('descriptionDigest')
  @IsBoundedText(TEXT.summary)
  @JSONSchema({ description: 'Short summary of the task (no secrets, no personal data).' })
  summary?: string;

  @RequiredUnless('summary')
  @IsSha256Digest()
  @JSONSchema({ description: 'Digest of the full task description, stored outside the log.' })
  descriptionDigest?: string;
}
