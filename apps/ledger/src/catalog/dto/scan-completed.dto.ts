import { IsBoolean } from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';
import {
  IsBoundedText,
  IsGitCommitSha,
  IsNonNegativeInteger,
  IsOneOf,
  IsSha256Digest,
  OptionalField,
  ValidateNestedObject,
} from '../validators';
import { TEXT } from './text-limits';

export const SCAN_KINDS = ['sast', 'sca', 'secrets', 'license', 'dast', 'iac'] as const;

@JSONSchema({ description: 'The scanner that ran.' })
export class ScanToolDto {
  @IsBoundedText(TEXT.name)
  @JSONSchema({ description: 'Tool name, e.g. "semgrep", "trivy", "gitleaks".' })
  name!: string;

  @IsBoundedText(TEXT.name)
  @JSONSchema({ description: 'Exact tool version.' })
  version!: string;
}

@JSONSchema({ description: 'Number of findings per severity (SARIF levels mapped to these five).' })
export class ScanFindingsDto {
  @IsNonNegativeInteger()
  @JSONSchema({ description: 'Findings of severity "critical".' })
  critical!: number;

  @IsNonNegativeInteger()
  @JSONSchema({ description: 'Findings of severity "high".' })
  high!: number;

  @IsNonNegativeInteger()
  @JSONSchema({ description: 'Findings of severity "medium".' })
  medium!: number;

  @IsNonNegativeInteger()
  @JSONSchema({ description: 'Findings of severity "low".' })
  low!: number;

  @IsNonNegativeInteger()
  @JSONSchema({ description: 'Findings of severity "info".' })
  info!: number;
}

@JSONSchema({ description: 'A security or compliance scan finished on one commit.' })
export class ScanCompletedDto {
  @ValidateNestedObject(() => ScanToolDto)
  tool!: ScanToolDto;

  @IsOneOf(SCAN_KINDS)
  @JSONSchema({ description: 'What kind of scan it was.' })
  kind!: (typeof SCAN_KINDS)[number];

  @OptionalField()
  @IsBoundedText(TEXT.locator)
  @JSONSchema({ description: 'Repository scanned, e.g. "github.com/acme/pay".' })
  repository?: string;

  @IsGitCommitSha()
  @JSONSchema({ description: 'The commit scanned.' })
  commit!: string;

  @ValidateNestedObject(() => ScanFindingsDto)
  findings!: ScanFindingsDto;

  @OptionalField()
  @IsSha256Digest()
  @JSONSchema({ description: 'Digest of the SARIF report.' })
  sarifDigest?: string;

  @IsBoolean({ message: 'must be true or false' })
  @JSONSchema({ description: 'Whether the scan met its gate.' })
  passed!: boolean;
}
