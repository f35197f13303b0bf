import { JSONSchema } from 'class-validator-jsonschema';
import { IsBoundedText, IsSha256Digest, OptionalField } from '../validators';
import { DeploymentDataDto } from './deployment-data.dto';
import { TEXT } from './text-limits';

@JSONSchema({ description: 'A deployment was rolled back: `artifactDigest` is the artifact removed.' })
export class DeploymentRolledBackDto extends DeploymentDataDto {
  @OptionalField()
  @IsSha256Digest()
  @JSONSchema({ description: 'Digest of the artifact running after the rollback.' })
  restoredArtifactDigest?: string;

  @OptionalField()
  @IsBoundedText(TEXT.rationale)
  @JSONSchema({ description: 'Why it was rolled back.' })
  reason?: string;
}
