import { IsBoolean } from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';
import { IsBoundedText, IsGitCommitSha, IsOneOf, OptionalField, ValidateNestedObject } from '../validators';
import { TEXT } from './text-limits';

export const REVIEW_CHECKPOINTS = ['design', 'security', 'test', 'merge', 'deploy'] as const;
export const REVIEW_DECISIONS = ['approve', 'reject', 'changes_requested'] as const;

@JSONSchema({ description: 'The person who decided, as their identity provider authenticated them.' })
export class ReviewApproverDto {
  @IsBoundedText(TEXT.name)
  @JSONSchema({ description: 'Subject (`sub`) at the identity provider.' })
  subject!: string;

  @IsBoundedText(TEXT.summary)
  @JSONSchema({ description: 'Identity provider issuer, e.g. "https://login.acme.com".' })
  issuer!: string;

  @IsBoundedText(TEXT.name)
  @JSONSchema({ description: 'Role under which the approver decided, e.g. "security-reviewer".' })
  role!: string;

  @IsBoolean({ message: 'must be true or false' })
  @JSONSchema({ description: 'Whether the approver’s session was authenticated with MFA.' })
  mfa!: boolean;
}

@JSONSchema({ description: 'A human checkpoint: someone approved, rejected or asked for changes.' })
export class ReviewDecisionRecordedDto {
  @ValidateNestedObject(() => ReviewApproverDto)
  approver!: ReviewApproverDto;

  @IsOneOf(REVIEW_CHECKPOINTS)
  @JSONSchema({ description: 'Which checkpoint of the delivery flow this decision is for.' })
  checkpoint!: (typeof REVIEW_CHECKPOINTS)[number];

  @IsOneOf(REVIEW_DECISIONS)
  @JSONSchema({ description: 'The decision.' })
  decision!: (typeof REVIEW_DECISIONS)[number];

  @OptionalField()
  @IsGitCommitSha()
  @JSONSchema({ description: 'The commit the decision was made on, so a later push is not covered by it.' })
  commit?: string;

  @OptionalField()
  @IsBoundedText(TEXT.rationale)
  @JSONSchema({ description: 'Why, in the approver’s words.' })
  rationale?: string;
}
