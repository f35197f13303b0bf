import { SystemInventory } from './system-description';
import { ExceptionResponse } from '../forensics/exception-response';

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
  readonly modelCalls: readonly ModelCallFact[];
  readonly agentActions: readonly AgentActionFact[];
  readonly settingsUpdates: readonly SettingsUpdateFact[];
  /**
   * Population entries in scope recorded more than the template's late-evidence threshold
   * after the producer says they happened, in sequence order.
   */
  readonly lateEntries: readonly LateEntryFact[];
  /** The AI inventory of the population in scope (system description), when the fold collected it. */
  readonly inventory?: SystemInventory;
  /** The tenant's own assertion wording, from the governance settings in force at the end of the period. */
  readonly assertion?: { readonly text: string; readonly sequence: number };
  /**
   * Management's responses recorded up to the pack's checkpoint (during the period or after
   * it) to an exception at a population entry, in sequence order, each with that entry's
   * sequence. Absent: none.
   */
  readonly responses?: readonly ResponseFact[];
}

/** A management response, and the sequence of the entry whose exception it answers. */
export interface ResponseFact extends ExceptionResponse {
  readonly exceptionSequence: number;
}

/** An entry's two clocks: when the producer says it happened, and when the ledger recorded it. */
export interface EntryClocks {
  /** The ledger's commit time: the only clock the log proves. */
  readonly recordedAt: string;
  /** The producer's `time`, when it sent one: what it claims, not proven. */
  readonly time?: string;
}

/**
 * Where an entry is, so an auditor can trace it: its line of events.jsonl (the sequence), the
 * event id its producer gave it, and its RFC 6962 leaf hash (lowercase hex of
 * SHA-256(0x00 ‖ entry bytes)), which proofs/leaf-hashes.txt carries and the signed tree covers.
 */
export interface EntryRef {
  readonly sequence: number;
  readonly eventId: string;
  readonly leafHash: string;
}

/** A population entry recorded long after it happened (backfilled evidence). */
export interface LateEntryFact extends EntryClocks, EntryRef {
  readonly type: string;
  readonly changeId?: string;
  readonly time: string;
}

export interface RuleFinding extends EntryClocks, EntryRef {
  /** The exception rule's id (docs/forensics.md, "Control exceptions"). */
  readonly rule: string;
  readonly changeId?: string;
  readonly reason: string;
}

/** An entry of the population a test counts, with the change it belongs to. */
export interface ItemFact extends EntryClocks, EntryRef {
  readonly changeId?: string;
}

/** A `change.merged` entry and its change as of the merge. */
export interface MergeFact extends ItemFact {
  readonly changeId: string;
  readonly aiGenerated: boolean;
  /** The change's author (IdP subject or agent id), when the log names one. */
  readonly author?: string;
  readonly headCommit?: string;
  readonly scans: readonly ScanFact[];
  readonly policyDecisions: number;
  /** Each policy decision as `<policy id>: allow|deny`, in sequence order. */
  readonly policies?: readonly string[];
  readonly reviews: readonly ReviewFact[];
  /** The approvals standing at the merge (the independent-approval rule's own). */
  readonly approvals?: readonly ApprovalFact[];
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

/** An approval that let a change merge: standing, independent, of the head commit. */
export interface ApprovalFact {
  readonly approver: string;
  readonly checkpoint: string;
  /** When the ledger recorded it, to compare with the merge's own recordedAt. */
  readonly recordedAt: string;
}

export interface DeploymentFact extends ItemFact {
  readonly changeIds: readonly string[];
  readonly environment?: string;
  /** Whether any change it carries is AI-generated. */
  readonly aiGenerated: boolean;
  /** Standing independent `deploy` approvals of its changes as of the deployment: approver subjects. */
  readonly approvers?: readonly string[];
}

/** A `model.invocation.completed` entry: the model called and the allow-list in force. */
export interface ModelCallFact extends ItemFact {
  /** `provider/model@version` as the entry names it. */
  readonly model?: string;
  /** The sequence of the settings entry whose allow-list was in force; absent when none was set. */
  readonly allowListVersion?: number;
}

/** An `agent.action.performed` entry: which agent did what under which task. */
export interface AgentActionFact extends ItemFact {
  readonly agent?: string;
  readonly taskId?: string;
  readonly action?: string;
  readonly target?: string;
  /** What the gateway reported: whether the action was within the task's scope, and its outcome. */
  readonly withinScope?: boolean;
  readonly outcome?: string;
}

/** A governance settings update: the fields it carried that were malformed and not applied. */
export interface SettingsUpdateFact extends ItemFact {
  readonly rejected?: readonly string[];
}
