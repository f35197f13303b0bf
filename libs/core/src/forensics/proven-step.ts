import { TimelineStep } from './timeline-step';

/** An entry's exact bytes and its RFC 9162 inclusion proof, hashes in standard base64. */
export interface StepEvidence {
  readonly canonical: string;
  readonly leafHash: string;
  readonly proof: { readonly leafIndex: number; readonly treeSize: number; readonly hashes: readonly string[] };
}

/** A timeline step with what proves it: what a change bundle carries and its verifier checks. */
export type ProvenStep = TimelineStep & { readonly evidence?: StepEvidence };
