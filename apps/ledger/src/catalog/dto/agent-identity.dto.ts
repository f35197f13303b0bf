import { JSONSchema } from 'class-validator-jsonschema';
import { IsBoundedText, OptionalField } from '../validators';
import { TEXT } from './text-limits';

@JSONSchema({ description: 'The AI coding agent, as the agent gateway registered it.' })
export class AgentIdentityDto {
  @IsBoundedText(TEXT.name)
  @JSONSchema({ description: 'Agent id registered with the gateway.' })
  id!: string;

  @OptionalField()
  @IsBoundedText(TEXT.name)
  @JSONSchema({ description: 'Agent build or release, e.g. "2.3.1".' })
  version?: string;
}
