import { JSONSchema } from 'class-validator-jsonschema';
import { IsBoundedText, IsNonNegativeInteger, IsNonNegativeNumber, IsScalarMap, IsSha256Digest, OptionalField } from '../validators';
import { TEXT } from './text-limits';

const ONE_DAY_MS = 86_400_000;

@JSONSchema({ description: 'A model call finished: which exact model version, with what parameters, at what cost.' })
export class ModelInvocationCompletedDto {
  @IsBoundedText(TEXT.name)
  @JSONSchema({ description: 'Model provider, e.g. "anthropic", "openai", "azure-openai", "self-hosted".' })
  provider!: string;

  @IsBoundedText(TEXT.name)
  @JSONSchema({ description: 'Model name as the provider lists it.' })
  model!: string;

  @IsBoundedText(TEXT.name)
  @JSONSchema({ description: 'Exact, pinned model version or snapshot id returned by the provider — never an alias like "latest".' })
  modelVersion!: string;

  @OptionalField()
  @IsScalarMap({ maxEntries: 64, maxKeyLength: 128, maxStringLength: TEXT.summary })
  @JSONSchema({ description: 'Sampling parameters (temperature, top_p, max_tokens …): a flat object of scalars.' })
  parameters?: Record<string, string | number | boolean>;

  @OptionalField()
  @IsBoundedText(TEXT.name)
  @JSONSchema({ description: 'Provider request id, for reconciliation with the provider’s logs and invoices.' })
  requestId?: string;

  @IsSha256Digest()
  @JSONSchema({ description: 'Digest of the full prompt (system + messages + tools), stored outside the log.' })
  promptDigest!: string;

  @IsSha256Digest()
  @JSONSchema({ description: 'Digest of the full response.' })
  responseDigest!: string;

  @IsNonNegativeInteger()
  @JSONSchema({ description: 'Input tokens billed.' })
  tokensIn!: number;

  @IsNonNegativeInteger()
  @JSONSchema({ description: 'Output tokens billed.' })
  tokensOut!: number;

  @IsNonNegativeNumber(1e6)
  @JSONSchema({ description: 'Cost of this call in US dollars.' })
  costUsd!: number;

  @IsNonNegativeNumber(ONE_DAY_MS)
  @JSONSchema({ description: 'Wall-clock latency in milliseconds.' })
  latencyMs!: number;
}
