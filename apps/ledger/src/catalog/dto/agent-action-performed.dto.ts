import { IsBoolean } from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';
import { IsBoundedText, IsOneOf, IsSha256Digest, OptionalField, ValidateNestedObject } from '../validators';
import { AgentIdentityDto } from './agent-identity.dto';
import { TEXT } from './text-limits';

export const AGENT_ACTION_KINDS = ['tool_call', 'file_write', 'command', 'network'] as const;
export const AGENT_ACTION_OUTCOMES = ['completed', 'failed', 'blocked'] as const;

@JSONSchema({ description: 'An AI agent ran a tool call, wrote a file, ran a command or made a network call.' })
export class AgentActionPerformedDto {
  @ValidateNestedObject(() => AgentIdentityDto)
  agent!: AgentIdentityDto;

  @OptionalField()
  @IsBoundedText(TEXT.name)
  @JSONSchema({ description: 'The `taskId` of the `agent.task.requested` event this action serves.' })
  taskId?: string;

  @IsOneOf(AGENT_ACTION_KINDS)
  @JSONSchema({ description: 'What kind of action it was.' })
  kind!: (typeof AGENT_ACTION_KINDS)[number];

  @IsBoundedText(TEXT.target)
  @JSONSchema({ description: 'What was acted on: tool name, file path, command line or URL.' })
  target!: string;

  @IsBoolean({ message: 'must be true or false' })
  @JSONSchema({ description: 'Whether the action lay inside the scope granted by the task.' })
  withinScope!: boolean;

  @OptionalField()
  @IsOneOf(AGENT_ACTION_OUTCOMES)
  @JSONSchema({ description: 'How it ended; "blocked" when the gateway refused it.' })
  outcome?: (typeof AGENT_ACTION_OUTCOMES)[number];

  @IsSha256Digest()
  @JSONSchema({ description: 'Digest of the action input (arguments, file content, command).' })
  inputDigest!: string;

  @OptionalField()
  @IsSha256Digest()
  @JSONSchema({ description: 'Digest of the action output; absent when there was none (e.g. blocked).' })
  outputDigest?: string;
}
