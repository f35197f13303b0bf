import { JSONSchema } from 'class-validator-jsonschema';
import { IsBoundedArray, IsBoundedText, IsSha256Digest, OptionalField, ValidateNestedObject } from '../validators';
import { PrincipalDto } from './principal.dto';
import { ITEMS, TEXT } from './text-limits';

/** The fields every `deployment.*` event carries. */
export class DeploymentDataDto {
  @IsBoundedText(TEXT.locator)
  @JSONSchema({ description: 'Target environment, e.g. "production", "staging-eu".' })
  environment!: string;

  @OptionalField()
  @IsBoundedText(TEXT.name)
  @JSONSchema({ description: 'The deploy tool’s own deployment id.' })
  deploymentId?: string;

  @IsSha256Digest()
  @JSONSchema({ description: 'Digest of the artifact deployed (e.g. the OCI image digest).' })
  artifactDigest!: string;

  @IsBoundedArray({ max: ITEMS.changeIds })
  @IsBoundedText(TEXT.changeId, { each: true })
  @JSONSchema({ description: 'Changes the artifact contains since the previous deployment.' })
  changeIds!: string[];

  @ValidateNestedObject(() => PrincipalDto)
  @JSONSchema({ description: 'Who or what triggered the deployment.' })
  triggeredBy!: PrincipalDto;
}
