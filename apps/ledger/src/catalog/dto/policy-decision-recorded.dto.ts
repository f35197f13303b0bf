import { JSONSchema } from 'class-validator-jsonschema';
import { IsBoundedArray, IsBoundedText, IsOneOf, IsSha256Digest, OptionalField } from '../validators';
import { ITEMS, TEXT } from './text-limits';

export const POLICY_DECISIONS = ['allow', 'deny'] as const;

@JSONSchema({ description: 'A policy engine decided: which policy, which exact version and bundle, on which input, with what result.' })
export class PolicyDecisionRecordedDto {
  @IsBoundedText(TEXT.name)
  @JSONSchema({ description: 'Policy engine, e.g. "opa", "cedar", "kyverno".' })
  engine!: string;

  @IsBoundedText(TEXT.name)
  @JSONSchema({ description: 'Policy (or rule package) id, e.g. "ai.merge_gate".' })
  policyId!: string;

  @IsBoundedText(TEXT.name)
  @JSONSchema({ description: 'Version of the policy that decided.' })
  policyVersion!: string;

  @OptionalField()
  @IsSha256Digest()
  @JSONSchema({ description: 'Digest of the policy bundle the engine loaded.' })
  bundleDigest?: string;

  @IsSha256Digest()
  @JSONSchema({ description: 'Digest of the decision input document.' })
  inputDigest!: string;

  @IsOneOf(POLICY_DECISIONS)
  @JSONSchema({ description: 'The result.' })
  decision!: (typeof POLICY_DECISIONS)[number];

  @IsBoundedArray({ max: ITEMS.rules })
  @IsBoundedText(TEXT.name, { each: true })
  @JSONSchema({ description: 'Ids of the rules that failed; empty when none did.' })
  violatedRules!: string[];

  @OptionalField()
  @IsBoundedText(TEXT.name)
  @JSONSchema({ description: 'The engine’s own decision id (e.g. OPA decision_id), to find it in the engine’s logs.' })
  decisionId?: string;
}
