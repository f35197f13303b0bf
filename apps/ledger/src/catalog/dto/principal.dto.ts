import { JSONSchema } from 'class-validator-jsonschema';
import { IsBoundedText, IsOneOf } from '../validators';
import { TEXT } from './text-limits';

export const PRINCIPAL_KINDS = ['human', 'agent', 'service'] as const;

@JSONSchema({ description: 'A person, AI agent or service, named as its identity provider names it.' })
export class PrincipalDto {
  @IsOneOf(PRINCIPAL_KINDS)
  @JSONSchema({ description: 'What kind of principal acted.' })
  kind!: (typeof PRINCIPAL_KINDS)[number];

  @IsBoundedText(TEXT.name)
  @JSONSchema({ description: 'Stable identifier (IdP subject, agent id, service account).' })
  id!: string;
}
