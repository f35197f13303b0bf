import { _, CodeKeywordDefinition, KeywordCxt } from 'ajv';
import { JsonSchema } from './catalog-schemas';

// The length of a text field as the ledger has always counted it: UTF-16 code units, except
// that a surrogate pair (an emoji, say) and a character followed by a variation selector
// each count as one. Scalar-map keys and values keep JSON Schema's count (code points).
const PRESENTATION_SEQUENCE = /(?!\uFE0E|\uFE0F)[\s\S](?:\uFE0E|\uFE0F)/g;
const SURROGATE_PAIR = /[\uD800-\uDBFF][\uDC00-\uDFFF]/g;
const ADJUSTING = /[\uD800-\uDFFF]|\uFE0E|\uFE0F/;

export function textLength(text: string): number {
  if (!ADJUSTING.test(text)) return text.length;
  return text.length - (text.match(PRESENTATION_SEQUENCE)?.length ?? 0) - (text.match(SURROGATE_PAIR)?.length ?? 0);
}

export const MIN_TEXT_LENGTH = 'minTextLength';
export const MAX_TEXT_LENGTH = 'maxTextLength';

// Compiled inline like Ajv's own `minLength`/`maxLength`; `.length` decides most strings
// without the count, since the count is never above it.
function textLengthKeyword(keyword: string, tooLong: boolean): CodeKeywordDefinition {
  return {
    keyword,
    type: 'string',
    schemaType: 'number',
    code(cxt: KeywordCxt) {
      const { gen, data, schemaCode } = cxt;
      const length = gen.scopeValue('func', { ref: textLength });
      cxt.fail(tooLong ? _`${data}.length > ${schemaCode} && ${length}(${data}) > ${schemaCode}` : _`${length}(${data}) < ${schemaCode}`);
    },
    error: { message: tooLong ? 'is too long' : 'is too short', params: ({ schemaCode }) => _`{limit: ${schemaCode}}` },
  };
}

export const TEXT_LENGTH_KEYWORDS: readonly CodeKeywordDefinition[] = [
  textLengthKeyword(MIN_TEXT_LENGTH, false),
  textLengthKeyword(MAX_TEXT_LENGTH, true),
];

/**
 * The schema the service compiles: the published one with the `minLength`/`maxLength` of
 * text fields counted by `textLength`. Scalar maps (`propertyNames`, `additionalProperties`)
 * are left as published.
 */
export function withTextLengths(schema: JsonSchema): JsonSchema {
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'minLength' && schema.type === 'string') copy[MIN_TEXT_LENGTH] = value;
    else if (key === 'maxLength' && schema.type === 'string') copy[MAX_TEXT_LENGTH] = value;
    else if (key === 'properties' || key === 'definitions') copy[key] = mapValues(value as Record<string, JsonSchema>, withTextLengths);
    else if (key === 'items' || key === 'allOf' || key === 'anyOf')
      copy[key] = Array.isArray(value) ? value.map(withTextLengths) : withTextLengths(value as JsonSchema);
    else copy[key] = value;
  }
  return copy;
}

function mapValues<T, U>(record: Record<string, T>, f: (value: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, f(value)]));
}
