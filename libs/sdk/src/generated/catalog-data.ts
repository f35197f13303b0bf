// Generated from schemas/*.schema.json by `npm run catalog` (scripts/catalog-types.js) — do not edit.
// To change the catalog, edit the schemas, regenerate and run the tests (docs/event-catalog.md).

/** `sha256:` and 64 lowercase hex digits: the digest of an artefact kept outside the log. */
export type Sha256Digest = `sha256:${string}`;

/** `agent.task.requested`: someone asked an AI agent to do a task: which agent, on which repository, with what scope and budget. Carry `summary`, `descriptionDigest`, or both. */
export interface AgentTaskRequestedData {
  /** Task id; later `agent.action.performed` events carry it. 1–256 characters. */
  readonly taskId: string;
  readonly agent: AgentIdentity;
  /** Who asked for the task. */
  readonly requestedBy: Principal;
  /** Repository, e.g. "github.com/acme/pay". 1–512 characters. */
  readonly repository: string;
  readonly scope: AgentTaskScope;
  readonly budget?: AgentTaskBudget;
  /** Short summary of the task (no secrets, no personal data). 1–1024 characters. */
  readonly summary?: string;
  /** Digest of the full task description, stored outside the log. */
  readonly descriptionDigest?: Sha256Digest;
}

/** The AI coding agent, as the agent gateway registered it. */
export interface AgentIdentity {
  /** Agent id registered with the gateway. 1–256 characters. */
  readonly id: string;
  /** Agent build or release, e.g. "2.3.1". 1–256 characters. */
  readonly version?: string;
}

/** Spending caps for the task; omitted caps are unlimited. */
export interface AgentTaskBudget {
  /** Maximum model spend in US dollars. 0–1000000000. */
  readonly maxCostUsd?: number;
  /** Maximum model tokens, input and output together. A whole number, 0 or more. */
  readonly maxTokens?: number;
}

/** What the agent may touch for this task. */
export interface AgentTaskScope {
  /** Repository paths or globs the agent may change. 1–256 items, each 1–2048 characters. */
  readonly paths: readonly string[];
  /** Permissions granted, e.g. "fs:write", "net:registry.npmjs.org". At most 64 items, each 1–256 characters. */
  readonly permissions: readonly string[];
}

/** A person, AI agent or service, named as its identity provider names it. */
export interface Principal {
  /** What kind of principal acted. */
  readonly kind: 'human' | 'agent' | 'service';
  /** Stable identifier (IdP subject, agent id, service account). 1–256 characters. */
  readonly id: string;
}

/** `agent.action.performed`: an AI agent ran a tool call, wrote a file, ran a command or made a network call. */
export interface AgentActionPerformedData {
  readonly agent: AgentIdentity;
  /** The `taskId` of the `agent.task.requested` event this action serves. 1–256 characters. */
  readonly taskId?: string;
  /** What kind of action it was. */
  readonly kind: 'tool_call' | 'file_write' | 'command' | 'network';
  /** What was acted on: tool name, file path, command line or URL. 1–2048 characters. */
  readonly target: string;
  /** Whether the action lay inside the scope granted by the task. */
  readonly withinScope: boolean;
  /** How it ended; "blocked" when the gateway refused it. */
  readonly outcome?: 'completed' | 'failed' | 'blocked';
  /** Digest of the action input (arguments, file content, command). */
  readonly inputDigest: Sha256Digest;
  /** Digest of the action output; absent when there was none (e.g. blocked). */
  readonly outputDigest?: Sha256Digest;
}

/** `model.invocation.completed`: A model call finished: which exact model version, with what parameters, at what cost. */
export interface ModelInvocationCompletedData {
  /** Model provider, e.g. "anthropic", "openai", "azure-openai", "self-hosted". 1–256 characters. */
  readonly provider: string;
  /** Model name as the provider lists it. 1–256 characters. */
  readonly model: string;
  /** Exact, pinned model version or snapshot id returned by the provider — never an alias like "latest". 1–256 characters. */
  readonly modelVersion: string;
  /** Sampling parameters (temperature, top_p, max_tokens …): a flat object of scalars. At most 64 entries; keys of 1–128 characters, string values of at most 1024. */
  readonly parameters?: Readonly<Record<string, string | number | boolean>>;
  /** Provider request id, for reconciliation with the provider’s logs and invoices. 1–256 characters. */
  readonly requestId?: string;
  /** Digest of the full prompt (system + messages + tools), stored outside the log. */
  readonly promptDigest: Sha256Digest;
  /** Digest of the full response. */
  readonly responseDigest: Sha256Digest;
  /** Input tokens billed. A whole number, 0 or more. */
  readonly tokensIn: number;
  /** Output tokens billed. A whole number, 0 or more. */
  readonly tokensOut: number;
  /** Cost of this call in US dollars. 0–1000000. */
  readonly costUsd: number;
  /** Wall-clock latency in milliseconds. 0–86400000. */
  readonly latencyMs: number;
}

/** `policy.decision.recorded`: A policy engine decided: which policy, which exact version and bundle, on which input, with what result. */
export interface PolicyDecisionRecordedData {
  /** Policy engine, e.g. "opa", "cedar", "kyverno". 1–256 characters. */
  readonly engine: string;
  /** Policy (or rule package) id, e.g. "ai.merge_gate". 1–256 characters. */
  readonly policyId: string;
  /** Version of the policy that decided. 1–256 characters. */
  readonly policyVersion: string;
  /** Digest of the policy bundle the engine loaded. */
  readonly bundleDigest?: Sha256Digest;
  /** Digest of the decision input document. */
  readonly inputDigest: Sha256Digest;
  /** The result. */
  readonly decision: 'allow' | 'deny';
  /** Ids of the rules that failed; empty when none did. At most 256 items, each 1–256 characters. */
  readonly violatedRules: readonly string[];
  /** The engine’s own decision id (e.g. OPA decision_id), to find it in the engine’s logs. 1–256 characters. */
  readonly decisionId?: string;
}

/** `scan.completed`: A security or compliance scan finished on one commit. */
export interface ScanCompletedData {
  readonly tool: ScanTool;
  /** What kind of scan it was. */
  readonly kind: 'sast' | 'sca' | 'secrets' | 'license' | 'dast' | 'iac';
  /** Repository scanned, e.g. "github.com/acme/pay". 1–512 characters. */
  readonly repository?: string;
  /** The commit scanned. A full 40-hex-digit lowercase git commit SHA. */
  readonly commit: string;
  readonly findings: ScanFindings;
  /** Digest of the SARIF report. */
  readonly sarifDigest?: Sha256Digest;
  /** Whether the scan met its gate. */
  readonly passed: boolean;
}

/** Number of findings per severity (SARIF levels mapped to these five). */
export interface ScanFindings {
  /** Findings of severity "critical". A whole number, 0 or more. */
  readonly critical: number;
  /** Findings of severity "high". A whole number, 0 or more. */
  readonly high: number;
  /** Findings of severity "medium". A whole number, 0 or more. */
  readonly medium: number;
  /** Findings of severity "low". A whole number, 0 or more. */
  readonly low: number;
  /** Findings of severity "info". A whole number, 0 or more. */
  readonly info: number;
}

/** The scanner that ran. */
export interface ScanTool {
  /** Tool name, e.g. "semgrep", "trivy", "gitleaks". 1–256 characters. */
  readonly name: string;
  /** Exact tool version. 1–256 characters. */
  readonly version: string;
}

/** `review.decision.recorded`: A human checkpoint: someone approved, rejected or asked for changes. */
export interface ReviewDecisionRecordedData {
  readonly approver: ReviewApprover;
  /** Which checkpoint of the delivery flow this decision is for. */
  readonly checkpoint: 'design' | 'security' | 'test' | 'merge' | 'deploy';
  /** The decision. */
  readonly decision: 'approve' | 'reject' | 'changes_requested';
  /** The commit the decision was made on, so a later push is not covered by it. A full 40-hex-digit lowercase git commit SHA. */
  readonly commit?: string;
  /** Why, in the approver’s words. 1–4096 characters. */
  readonly rationale?: string;
}

/** The person who decided, as their identity provider authenticated them. */
export interface ReviewApprover {
  /** Subject (`sub`) at the identity provider. 1–256 characters. */
  readonly subject: string;
  /** Identity provider issuer, e.g. "https://login.acme.com". 1–1024 characters. */
  readonly issuer: string;
  /** Role under which the approver decided, e.g. "security-reviewer". 1–256 characters. */
  readonly role: string;
  /** Whether the approver’s session was authenticated with MFA. */
  readonly mfa: boolean;
}

/** `change.opened`: A change (pull/merge request) was opened. */
export interface ChangeOpenedData {
  /** The change (pull/merge request), e.g. "github.com/acme/pay#482"; matches the envelope `changeid`. 1–1024 characters. */
  readonly changeId: string;
  /** Repository, e.g. "github.com/acme/pay". 1–512 characters. */
  readonly repository: string;
  readonly author: ChangeAuthor;
  /** Commits of the change this event is about, full SHAs. 1–1000 items, each a full 40-hex-digit lowercase git commit SHA. */
  readonly commits: readonly string[];
  /** Whether any of the code was generated by AI. */
  readonly aiGenerated: boolean;
  /** Linked work item, e.g. "JIRA-1234". 1–256 characters. */
  readonly workItem?: string;
  /** Branch the change targets. 1–256 characters. */
  readonly baseBranch?: string;
}

/** Who wrote the change: a person or an AI agent. */
export interface ChangeAuthor {
  /** Whether a person or an AI agent wrote it. */
  readonly kind: 'human' | 'agent';
  /** IdP subject of the person, or the agent id. 1–256 characters. */
  readonly id: string;
}

/** `change.committed`: commits were added to a change; `commits` lists the new ones. */
export interface ChangeCommittedData {
  /** The change (pull/merge request), e.g. "github.com/acme/pay#482"; matches the envelope `changeid`. 1–1024 characters. */
  readonly changeId: string;
  /** Repository, e.g. "github.com/acme/pay". 1–512 characters. */
  readonly repository: string;
  readonly author: ChangeAuthor;
  /** Commits of the change this event is about, full SHAs. 1–1000 items, each a full 40-hex-digit lowercase git commit SHA. */
  readonly commits: readonly string[];
  /** Whether any of the code was generated by AI. */
  readonly aiGenerated: boolean;
  /** Linked work item, e.g. "JIRA-1234". 1–256 characters. */
  readonly workItem?: string;
  /** Branch the change targets. 1–256 characters. */
  readonly baseBranch?: string;
}

/** `change.merged`: A change was merged into its base branch. */
export interface ChangeMergedData {
  /** The change (pull/merge request), e.g. "github.com/acme/pay#482"; matches the envelope `changeid`. 1–1024 characters. */
  readonly changeId: string;
  /** Repository, e.g. "github.com/acme/pay". 1–512 characters. */
  readonly repository: string;
  readonly author: ChangeAuthor;
  /** Commits of the change this event is about, full SHAs. 1–1000 items, each a full 40-hex-digit lowercase git commit SHA. */
  readonly commits: readonly string[];
  /** Whether any of the code was generated by AI. */
  readonly aiGenerated: boolean;
  /** Linked work item, e.g. "JIRA-1234". 1–256 characters. */
  readonly workItem?: string;
  /** Branch the change targets. 1–256 characters. */
  readonly baseBranch?: string;
  /** Who merged it (a person, or the bot/service that auto-merged). */
  readonly mergedBy?: Principal;
  /** The merge (or squash) commit on the base branch. A full 40-hex-digit lowercase git commit SHA. */
  readonly mergeCommit?: string;
}

/** `deployment.completed`: an artifact was deployed to an environment. */
export interface DeploymentCompletedData {
  /** Target environment, e.g. "production", "staging-eu". 1–512 characters. */
  readonly environment: string;
  /** The deploy tool’s own deployment id. 1–256 characters. */
  readonly deploymentId?: string;
  /** Digest of the artifact deployed (e.g. the OCI image digest). */
  readonly artifactDigest: Sha256Digest;
  /** Changes the artifact contains since the previous deployment. At most 1000 items, each 1–1024 characters. */
  readonly changeIds: readonly string[];
  /** Who or what triggered the deployment. */
  readonly triggeredBy: Principal;
}

/** `deployment.rolled_back`: A deployment was rolled back: `artifactDigest` is the artifact removed. */
export interface DeploymentRolledBackData {
  /** Target environment, e.g. "production", "staging-eu". 1–512 characters. */
  readonly environment: string;
  /** The deploy tool’s own deployment id. 1–256 characters. */
  readonly deploymentId?: string;
  /** Digest of the artifact deployed (e.g. the OCI image digest). */
  readonly artifactDigest: Sha256Digest;
  /** Changes the artifact contains since the previous deployment. At most 1000 items, each 1–1024 characters. */
  readonly changeIds: readonly string[];
  /** Who or what triggered the deployment. */
  readonly triggeredBy: Principal;
  /** Digest of the artifact running after the rollback. */
  readonly restoredArtifactDigest?: Sha256Digest;
  /** Why it was rolled back. 1–4096 characters. */
  readonly reason?: string;
}

/** `budget.threshold.crossed`: AI spend of a team crossed a threshold of its budget. */
export interface BudgetThresholdCrossedData {
  /** Team (cost centre) the budget belongs to. 1–256 characters. */
  readonly team: string;
  /** Budget id or name. 1–256 characters. */
  readonly budget: string;
  /** Spend so far in the period, US dollars. 0–1000000000000. */
  readonly spendUsd: number;
  /** The threshold crossed, US dollars. 0–1000000000000. */
  readonly thresholdUsd: number;
  /** The whole budget for the period, US dollars. 0–1000000000000. */
  readonly limitUsd?: number;
  readonly period: BudgetPeriod;
}

/** The budget period the spend is counted over. */
export interface BudgetPeriod {
  /** Start of the period, inclusive. An RFC 3339 date-time with an offset. */
  readonly start: string;
  /** End of the period, exclusive. An RFC 3339 date-time with an offset. */
  readonly end: string;
}

/** `exception.response.recorded`: management's response to a control exception: its root cause, the remediation, who owns it, by when, and where it stands. Only an admin key may record it; the latest response per exception is the one in force. */
export interface ExceptionResponseRecordedData {
  readonly exception: ExceptionReference;
  /** Why the control failed, as management found it. 1–4096 characters. */
  readonly rootCause: string;
  /** What is done, or was done, so it does not happen again. 1–4096 characters. */
  readonly remediation: string;
  /** Who owns the remediation: a person's or team's identity, e.g. "alice@acme.com" or "platform-team". 1–256 characters. */
  readonly owner: string;
  /** When the remediation is due. An RFC 3339 date-time with an offset. */
  readonly dueDate: string;
  /** Where the remediation stands. */
  readonly status: 'open' | 'in-progress' | 'remediated' | 'risk-accepted';
}

/** The exception answered: the entry it was raised on and the rule that raised it. */
export interface ExceptionReference {
  /** The `id` of the entry the exception was raised on. The id (a UUID) of an event in this ledger. */
  readonly eventId: string;
  /** The exception rule id (e.g. "merged-with-failing-scan"), or the control test kind for a test's own check. 1–128 characters. */
  readonly rule: string;
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
  'exception.response.recorded': ExceptionResponseRecordedData;
}
