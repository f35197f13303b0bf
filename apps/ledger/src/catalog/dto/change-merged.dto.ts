import { JSONSchema } from 'class-validator-jsonschema';
import { IsGitCommitSha, OptionalField, ValidateNestedObject } from '../validators';
import { ChangeDataDto } from './change-data.dto';
import { PrincipalDto } from './principal.dto';

@JSONSchema({ description: 'A change was merged into its base branch.' })
export class ChangeMergedDto extends ChangeDataDto {
  @OptionalField()
  @ValidateNestedObject(() => PrincipalDto)
  @JSONSchema({ description: 'Who merged it (a person, or the bot/service that auto-merged).' })
  mergedBy?: PrincipalDto;

  @OptionalField()
  @IsGitCommitSha()
  @JSONSchema({ description: 'The merge (or squash) commit on the base branch.' })
  mergeCommit?: string;
}
