import type { CatalogEventType } from '@evidence-ledger/core';

/**
 * The `data` of every typed event of the v1 catalog (docs/event-catalog.md), field for field
 * as the ledger validates it and as `schemas/<type>.schema.json` publishes it. The ledger
 * rejects unknown fields and explicit `null`s: leave an optional field out instead.
 *
 * Formats the type system cannot say: a *digest* is `sha256:` + 64 lowercase hex digits; a
 * *commit* is a full 40-hex-digit lowercase git SHA; a *time* is RFC 3339 with an offset.
 */

/** A `sha256:` + 64 lowercase hex digit digest of an artefact kept outside the log. */
export type Sha256Digest = `sha256:${string}`;

/** A person, AI agent or service, as its identity provider names it. */
export interface Principal {
  readonly kind: 'human' | 'agent' | 'service';
  /** Stable identifier (IdP subject, agent id, service account); ≤ 256 chars. */
  readonly id: string;
}

/** The AI coding agent, as the agent gateway registered it. */
export interface AgentIdentity {
  /** ≤ 256 chars. */
  readonly id: string;
  /** Agent build or release, e.g. "2.3.1"; ≤ 256 chars. */
  readonly version?: string;
}

/** `agent.task.requested`: someone asked an agent to do a task. Carry `summary`, `descriptionDigest` or both. */
export interface AgentTaskRequestedData {
  /** Later `agent.action.performed` events carry it; ≤ 256 chars. */
  readonly taskId: string;
  readonly agent: AgentIdentity;
  readonly requestedBy: Principal;
  /** e.g. "github.com/acme/pay"; ≤ 512 chars. */
  readonly repository: string;
  readonly scope: {
    /** Paths or globs the agent may change: 1–256 items, each ≤ 2048 chars. */
    readonly paths: readonly string[];
    /** Permissions granted, e.g. "fs:write": ≤ 64 items. */
    readonly permissions: readonly string[];
  };
  readonly budget?: {
    /** US dollars, 0 – 10^9. */
    readonly maxCostUsd?: number;
    /** Input and output tokens together; a non-negative integer. */
    readonly maxTokens?: number;
  };
  /** Short summary, no secrets or personal data; ≤ 1024 chars. */
  readonly summary?: string;
  readonly descriptionDigest?: Sha256Digest;
}

/** `agent.action.performed`: a tool call, file write, command or network call an agent made. */
export interface AgentActionPerformedData {
  readonly agent: AgentIdentity;
  readonly taskId?: string;
  readonly kind: 'tool_call' | 'file_write' | 'command' | 'network';
  /** Tool name, file path, command line or URL; ≤ 2048 chars. */
  readonly target: string;
  /** Whether the action lay inside the scope the task granted. */
  readonly withinScope: boolean;
  readonly outcome?: 'completed' | 'failed' | 'blocked';
  readonly inputDigest: Sha256Digest;
  readonly outputDigest?: Sha256Digest;
}

/** `model.invocation.completed`: which exact model version answered, with what parameters, at what cost. */
export interface ModelInvocationCompletedData {
  /** e.g. "anthropic", "openai", "azure-openai", "self-hosted". */
  readonly provider: string;
  readonly model: string;
  /** The exact, pinned version the provider returned — never an alias like "latest". */
  readonly modelVersion: string;
  /** Sampling parameters: a flat object of scalars, ≤ 64 entries. */
  readonly parameters?: Readonly<Record<string, string | number | boolean>>;
  /** Provider request id. */
  readonly requestId?: string;
  readonly promptDigest: Sha256Digest;
  readonly responseDigest: Sha256Digest;
  /** Non-negative integers. */
  readonly tokensIn: number;
  readonly tokensOut: number;
  /** US dollars, 0 – 10^6. */
  readonly costUsd: number;
  /** Milliseconds, 0 – one day. */
  readonly latencyMs: number;
}

/** `policy.decision.recorded`: a policy engine decided. */
export interface PolicyDecisionRecordedData {
  /** e.g. "opa", "cedar", "kyverno". */
  readonly engine: string;
  readonly policyId: string;
  readonly policyVersion: string;
  readonly bundleDigest?: Sha256Digest;
  readonly inputDigest: Sha256Digest;
  readonly decision: 'allow' | 'deny';
  /** Ids of the rules that failed; empty when none did. ≤ 256 items. */
  readonly violatedRules: readonly string[];
  /** The engine's own decision id (e.g. OPA `decision_id`). */
  readonly decisionId?: string;
}

/** `scan.completed`: a security or compliance scan finished on one commit. */
export interface ScanCompletedData {
  readonly tool: { readonly name: string; readonly version: string };
  readonly kind: 'sast' | 'sca' | 'secrets' | 'license' | 'dast' | 'iac';
  readonly repository?: string;
  /** Full 40-hex-digit lowercase commit SHA. */
  readonly commit: string;
  /** Non-negative integers per severity. */
  readonly findings: {
    readonly critical: number;
    readonly high: number;
    readonly medium: number;
    readonly low: number;
    readonly info: number;
  };
  readonly sarifDigest?: Sha256Digest;
  /** Whether the scan met its gate. */
  readonly passed: boolean;
}

/** `review.decision.recorded`: a human checkpoint. */
export interface ReviewDecisionRecordedData {
  readonly approver: {
    /** Subject (`sub`) at the identity provider. */
    readonly subject: string;
    /** Identity provider issuer, e.g. "https://login.acme.com". */
    readonly issuer: string;
    /** e.g. "security-reviewer". */
    readonly role: string;
    /** Whether the session was authenticated with MFA. */
    readonly mfa: boolean;
  };
  readonly checkpoint: 'design' | 'security' | 'test' | 'merge' | 'deploy';
  readonly decision: 'approve' | 'reject' | 'changes_requested';
  /** The commit decided on, so a later push is not covered. */
  readonly commit?: string;
  /** Why, in the approver's words; ≤ 4096 chars. */
  readonly rationale?: string;
}

/** The fields every `change.*` event carries. */
export interface ChangeData {
  /** e.g. "github.com/acme/pay#482"; matches the envelope `changeid`. */
  readonly changeId: string;
  readonly repository: string;
  readonly author: { readonly kind: 'human' | 'agent'; readonly id: string };
  /** Full commit SHAs: 1–1000 items. */
  readonly commits: readonly string[];
  /** Whether any of the code was generated by AI. */
  readonly aiGenerated: boolean;
  /** Linked work item, e.g. "JIRA-1234". */
  readonly workItem?: string;
  readonly baseBranch?: string;
}

/** `change.opened`. */
export type ChangeOpenedData = ChangeData;
/** `change.committed`: `commits` lists the new ones. */
export type ChangeCommittedData = ChangeData;

/** `change.merged`. */
export interface ChangeMergedData extends ChangeData {
  readonly mergedBy?: Principal;
  readonly mergeCommit?: string;
}

/** The fields every `deployment.*` event carries. */
export interface DeploymentData {
  /** e.g. "production", "staging-eu". */
  readonly environment: string;
  readonly deploymentId?: string;
  /** e.g. the OCI image digest. */
  readonly artifactDigest: Sha256Digest;
  /** Changes the artifact contains since the previous deployment; ≤ 1000 items. */
  readonly changeIds: readonly string[];
  readonly triggeredBy: Principal;
}

/** `deployment.completed`. */
export type DeploymentCompletedData = DeploymentData;

/** `deployment.rolled_back`: `artifactDigest` is the artifact removed. */
export interface DeploymentRolledBackData extends DeploymentData {
  readonly restoredArtifactDigest?: Sha256Digest;
  readonly reason?: string;
}

/** `budget.threshold.crossed`. */
export interface BudgetThresholdCrossedData {
  readonly team: string;
  readonly budget: string;
  /** US dollars, 0 – 10^12. */
  readonly spendUsd: number;
  readonly thresholdUsd: number;
  readonly limitUsd?: number;
  /** RFC 3339 times; `end` is exclusive. */
  readonly period: { readonly start: string; readonly end: string };
}

/** Catalog type → the shape of its `data`. */
export interface CatalogEventData {
  'agent.task.requested': AgentTaskRequestedData;
  'agent.action.performed': AgentActionPerformedData;
  'model.invocation.completed': ModelInvocationCompletedData;
  'policy.decision.recorded': PolicyDecisionRecordedData;
  'scan.completed': ScanCompletedData;
  'review.decision.recorded': ReviewDecisionRecordedData;
  'change.opened': ChangeOpenedData;
  'change.committed': ChangeCommittedData;
  'change.merged': ChangeMergedData;
  'deployment.completed': DeploymentCompletedData;
  'deployment.rolled_back': DeploymentRolledBackData;
  'budget.threshold.crossed': BudgetThresholdCrossedData;
}

// Fails to compile if the map and the ledger's catalog ever disagree.
type Exactly<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
export const CATALOG_DATA_COVERS_CATALOG: Exactly<keyof CatalogEventData, CatalogEventType> = true;

/** A producer's own event type, outside the catalog: dotted lowercase under `x.`. */
export type ExtensionEventType = `x.${string}`;

/**
 * The type of a tenant's governance settings event (allow-list, required scans, deployments
 * that need approval). Only an admin key may record it; the ledger records that role on the
 * entry as the `producerrole` extension, which this client declares for it.
 */
export const GOVERNANCE_SETTINGS_TYPE = 'x.governance.settings.updated';
