/**
 * An evidence template (docs/evidence-packs.md, "Templates"): one framework's controls, the
 * evidence each draws on, and the automated tests that decide it. Templates are data — YAML
 * or JSON files in `evidence-templates/` or a customer's own directory — validated by
 * `validateTemplate` before anything uses them.
 */
export interface EvidenceTemplate {
  /** Short id used in API calls and pack names, e.g. `soc2`. Lowercase letters, digits, `-`. */
  readonly framework: string;
  readonly title: string;
  /** The edition of the framework the mapping follows, e.g. `ISO/IEC 27001:2022`. */
  readonly version: string;
  /** A statement printed on the report's scope page (e.g. when the mapping is voluntary). */
  readonly note?: string;
  /** How long packs built from this template are retained in the archive. */
  readonly retention: RetentionRule;
  /** When an entry counts as late evidence (default: recorded 24 hours after it happened). */
  readonly lateEvidence?: LateEvidenceRule;
  /**
   * Management's assertion, printed at the head of the report; `{tenant}`, `{period}` and
   * `{system}` are filled in (ASSERTION_PLACEHOLDERS). The tenant's own wording, from its
   * governance settings, replaces it.
   */
  readonly assertion?: string;
  /** Controls the framework expects of the user entity (the tenant), which the ledger cannot evidence. */
  readonly complementaryUserEntityControls?: readonly string[];
  /** A Statement of Applicability over the framework's whole control set (ISO/IEC 27001 Annex A). */
  readonly statementOfApplicability?: readonly ApplicabilityStatement[];
  /** A technical-documentation index (EU AI Act Annex IV): where each point is evidenced, if at all. */
  readonly documentationIndex?: readonly DocumentationPoint[];
  /** A record-keeping requirement the report states facts against (HIPAA §164.316(b)(2), AI Act Art. 12/19). */
  readonly recordKeeping?: RecordKeepingRule;
  readonly controls: readonly ControlTemplate[];
}

/** The placeholders an assertion may use. */
export const ASSERTION_PLACEHOLDERS = ['tenant', 'period', 'system'] as const;

/** One control of the framework's catalogue in the Statement of Applicability. */
export interface ApplicabilityStatement {
  readonly id: string;
  readonly title: string;
  readonly applicable: boolean;
  readonly justification: string;
  /** Controls of this template that evidence it. */
  readonly controls?: readonly string[];
}

/** One point of a technical-documentation index, and where the pack or the ledger evidences it. */
export interface DocumentationPoint {
  readonly point: string;
  readonly title: string;
  /** Where it is evidenced; absent when the ledger does not evidence it. */
  readonly evidencedBy?: string;
  readonly controls?: readonly string[];
}

/** A record-keeping requirement: what it asks, and how long records must be kept. */
export interface RecordKeepingRule {
  readonly title: string;
  readonly requirement: string;
  readonly minimumDays: number;
}

/**
 * Late evidence: an entry the ledger recorded (`recordedAt`, the commit time the log proves)
 * more than `thresholdHours` after the producer says it happened (`time`). Flagged in the
 * pack so backfilled evidence never looks like evidence recorded at the time.
 */
export interface LateEvidenceRule {
  readonly thresholdHours: number;
}

export const DEFAULT_LATE_EVIDENCE_HOURS = 24;

export interface RetentionRule {
  readonly days: number;
}

export interface ControlTemplate {
  readonly id: string;
  readonly title: string;
  readonly objective: string;
  readonly evidence: EvidenceSources;
  /** Empty only when `notApplicable` says why no automated test decides this control. */
  readonly tests: readonly ControlTestSpec[];
  readonly sampling?: SamplingRule;
  /** The reason a control has no automated test (reported, never counted as satisfied). */
  readonly notApplicable?: string;
  /** The role that owns the control. */
  readonly owner?: string;
  /** How often the control operates; sets the Type II sample size when `sampling` does not. */
  readonly frequency?: ControlFrequency;
  readonly automation?: ControlAutomation;
  /** The test the auditor's procedure performs, in words. */
  readonly testPerformed?: string;
}

export const CONTROL_FREQUENCIES = ['annual', 'quarterly', 'monthly', 'weekly', 'daily', 'multiple-times-per-day', 'per-event'] as const;
export type ControlFrequency = (typeof CONTROL_FREQUENCIES)[number];

export const CONTROL_AUTOMATION = ['automated', 'manual'] as const;
export type ControlAutomation = (typeof CONTROL_AUTOMATION)[number];

export interface EvidenceSources {
  /** Event types of the catalog the control draws on. */
  readonly eventTypes: readonly string[];
  /** The forensics tables (docs/forensics.md) an investigator would open for it (`readModels` in older templates). */
  readonly forensics?: readonly string[];
  /** What the ledger itself contributes, beyond events (LEDGER_EVIDENCE). */
  readonly ledger?: readonly LedgerEvidence[];
}

/**
 * Evidence the ledger provides that is not an event in the log: the signed checkpoint and the
 * proofs that tie every entry to it, the consistency proof from the previous pack, and the
 * archive's lock on the pack. (A checkpoint is not written to the log as an entry: it is
 * itself signed evidence, carried in every pack.)
 */
export const LEDGER_EVIDENCE = ['signed-checkpoint', 'inclusion-proofs', 'consistency-proof', 'archive-lock'] as const;
export type LedgerEvidence = (typeof LEDGER_EVIDENCE)[number];

export interface SamplingRule {
  /** How many population items a Type II sample draws (all of them when fewer). */
  readonly size: number;
}

/** The fixed set of automated test kinds a template may use. */
export const TEST_KINDS = [
  'independent-approval-before-merge',
  'scan-passed-before-merge',
  'policy-evaluated-before-merge',
  'model-on-allow-list',
  'deploy-approved',
  'agent-within-scope',
  'human-oversight-at-checkpoints',
  'log-integrity-verified',
  'retention-met',
] as const;

export type TestKind = (typeof TEST_KINDS)[number];

/** Scan severities, lowest first (SARIF levels mapped to the catalog's `findings` keys). */
export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Review checkpoints of the catalog (`review.decision.recorded`). */
export const REVIEW_CHECKPOINTS = ['design', 'security', 'test', 'merge', 'deploy'] as const;
export type ReviewCheckpoint = (typeof REVIEW_CHECKPOINTS)[number];

export type ControlTestSpec =
  | { readonly kind: 'independent-approval-before-merge' }
  | {
      readonly kind: 'scan-passed-before-merge';
      /** Scan kinds every merge needs on its head commit, besides the tenant's own settings. */
      readonly requiredKinds?: readonly string[];
      /** Findings above this severity on a head-commit scan fail the merge. */
      readonly maxSeverity?: Severity;
    }
  | { readonly kind: 'policy-evaluated-before-merge'; readonly requireDecision?: boolean }
  | { readonly kind: 'model-on-allow-list' }
  | { readonly kind: 'deploy-approved' }
  | { readonly kind: 'agent-within-scope' }
  | { readonly kind: 'human-oversight-at-checkpoints'; readonly checkpoints: readonly ReviewCheckpoint[] }
  | { readonly kind: 'log-integrity-verified' }
  | { readonly kind: 'retention-met'; readonly minimumDays: number };
