/** Hard limits on what a producer may post (docs/design.md, "Invariants"). */
export const LIMITS = {
  /** Canonical size of one event, in bytes. */
  maxEventBytes: 256 * 1024,
  /** Events in one append request. */
  maxBatchEvents: 1000,
  /** Raw size of one append request, in bytes. */
  maxBatchBytes: 5 * 1024 * 1024,
  /** Nesting depth of objects and arrays inside an event. */
  maxDepth: 32,
  /** Length of any one string inside `data`, in UTF-16 code units. */
  maxStringLength: 64 * 1024,
  /** Length of an envelope attribute (source, subject, changeid …). */
  maxAttributeLength: 1024,
} as const;
