/**
 * One step of a sampled change's timeline, as the pack's report prints it. The verifier derives
 * the same lines from the events, so the shape lives here rather than with the PDF renderer.
 */
export interface TimelineLine {
  readonly sequence: number;
  /** The entry's event id and hex RFC 6962 leaf hash, to trace it by. */
  readonly eventId: string;
  readonly leafHash: string;
  /** The ledger's commit time (proven by the log). */
  readonly recordedAt: string;
  /** The producer's time (claimed), when it gave one. */
  readonly time?: string;
  /** Recorded more than the template's late-evidence threshold after `time`. */
  readonly late?: boolean;
  readonly type: string;
  readonly actor?: string;
  readonly note?: string;
}
