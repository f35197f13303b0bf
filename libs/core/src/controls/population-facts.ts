/**
 * What the control tests read: the facts of a pack's population, folded from the log's
 * entries by the forensics reducers and exception rules (libs/verify `PopulationFold`).
 * Plain data, so the tests stay pure and the offline verifier, folding the same entries,
 * gets the same facts.
 */
export interface PopulationFacts {
  /** Entries of the population (the period), in scope or not. */
  readonly entries: number;
  /** Exceptions the projection rules raised at population entries in scope. */
  readonly findings: readonly RuleFinding[];
  readonly merges: readonly MergeFact[];
  /** Deployments to an environment the tenant's settings require an approval for. */
  readonly deployments: readonly DeploymentFact[];
  readonly modelCalls: readonly ItemFact[];
  readonly agentActions: readonly ItemFact[];
  readonly settingsUpdates: readonly ItemFact[];
  /**
   * Population entries in scope recorded more than the template's late-evidence threshold
   * after the producer says they happened, in sequence order.
   */
  readonly lateEntries: readonly LateEntryFact[];
}

/** An entry's two clocks: when the producer says it happened, and when the ledger recorded it. */
export interface EntryClocks {
  /** The ledger's commit time: the only clock the log proves. */
  readonly recordedAt: string;
  /** The producer's `time`, when it sent one: what it claims, not proven. */
  readonly time?: string;
}

/** A population entry recorded long after it happened (backfilled evidence). */
export interface LateEntryFact extends EntryClocks {
  readonly sequence: number;
  readonly type: string;
  readonly changeId?: string;
  readonly time: string;
}

export interface RuleFinding extends EntryClocks {
  /** The exception rule's id (docs/forensics.md, "Control exceptions"). */
  readonly rule: string;
  readonly sequence: number;
  readonly changeId?: string;
  readonly reason: string;
}

/** An entry of the population a test counts, with the change it belongs to. */
export interface ItemFact extends EntryClocks {
  readonly sequence: number;
  readonly changeId?: string;
}

/** A `change.merged` entry and its change as of the merge. */
export interface MergeFact extends ItemFact {
  readonly changeId: string;
  readonly aiGenerated: boolean;
  readonly headCommit?: string;
  readonly scans: readonly ScanFact[];
  readonly policyDecisions: number;
  readonly reviews: readonly ReviewFact[];
}

export interface ScanFact {
  readonly kind: string;
  readonly passed: boolean;
  readonly commit?: string;
  readonly findings: Readonly<Record<string, number>>;
  readonly sequence: number;
}

export interface ReviewFact {
  readonly checkpoint: string;
  readonly decision: string;
  readonly approver: string;
  /** Neither the author nor an agent that worked on the change. */
  readonly independent: boolean;
  readonly sequence: number;
}

export interface DeploymentFact extends ItemFact {
  readonly changeIds: readonly string[];
  readonly environment?: string;
  /** Whether any change it carries is AI-generated. */
  readonly aiGenerated: boolean;
}
