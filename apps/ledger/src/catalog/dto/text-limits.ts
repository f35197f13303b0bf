import { LIMITS } from '@evidence-ledger/core';

/**
 * Caps on the strings of typed event data, counted as class-validator's `MaxLength` counts:
 * UTF-16 code units, except that a surrogate pair (an emoji, say) or a character with its
 * variation selector counts as one. Scalar-map keys and values (`IsScalarMap`) count code
 * points, as JSON Schema's `maxLength` does.
 */
export const TEXT = {
  /** Ids, names, versions, roles. */
  name: 256,
  /** Repositories, environments. */
  locator: 512,
  /** Change ids: the same cap as the envelope's `changeid` attribute. */
  changeId: LIMITS.maxAttributeLength,
  /** Paths, commands, URLs an agent acted on. */
  target: 2048,
  /** One-line summaries. */
  summary: 1024,
  /** Free-text reasons written by a person. */
  rationale: 4096,
} as const;

/** Caps on array sizes. */
export const ITEMS = {
  commits: 1000,
  changeIds: 1000,
  paths: 256,
  permissions: 64,
  rules: 256,
} as const;
