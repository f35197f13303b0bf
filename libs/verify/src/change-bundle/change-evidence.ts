import { ChangeState, ExceptionDoc, ProvenStep } from '@evidence-ledger/core';

/** A change's steps with their evidence, as `GET /v1/changes/:id/replay` answers and a bundle stores them. */
export interface ChangeEvidence {
  readonly changeId: string;
  /** The point replayed to, as the service echoed it (`{sequence}` or `{time}`); the end of the log when absent. */
  readonly asOf?: { readonly sequence: number } | { readonly time: string };
  /** The signed checkpoint (C2SP note) every proof leads to. */
  readonly checkpoint?: string;
  readonly steps: readonly ProvenStep[];
  /** The state the service derived; the verifier recomputes it from the entries. */
  readonly state: ChangeState;
  /** The exceptions the service reported up to the point (informational: rules need the whole tenant's log). */
  readonly exceptions: readonly ExceptionDoc[];
}
