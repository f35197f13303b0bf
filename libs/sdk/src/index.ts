export { LedgerClient } from './ledger-client';
export { LedgerApi } from './ledger-api';
export type { ApiOutcome, HttpMethod, LedgerApiOptions, Problem } from './ledger-api';
export type { LedgerClientOptions } from './client-options';
export { PendingReceipt } from './pending-receipt';
export type { LedgerReceipt } from './pending-receipt';
export type { EventAttributes } from './ledger-event';
export type { RetryOptions } from './retry-policy';
export type { RetryNotice } from './batch-delivery';
export type { SpoolRecovery } from './spool';
export type { TrustState } from './trust-state';
export { producerId } from './receipt-verifier';
export { EXCEPTION_RESPONSE_TYPE, GOVERNANCE_SETTINGS_TYPE } from './catalog-events';
export type {
  AgentActionPerformedData,
  AgentIdentity,
  AgentTaskBudget,
  AgentTaskRequestedData,
  AgentTaskScope,
  BudgetPeriod,
  BudgetThresholdCrossedData,
  CatalogEventData,
  ChangeAuthor,
  ChangeCommittedData,
  ChangeData,
  ChangeMergedData,
  ChangeOpenedData,
  DeploymentCompletedData,
  DeploymentData,
  DeploymentRolledBackData,
  ExtensionEventType,
  ModelInvocationCompletedData,
  PolicyDecisionRecordedData,
  Principal,
  ReviewApprover,
  ReviewDecisionRecordedData,
  ScanCompletedData,
  ScanFindings,
  ScanTool,
  Sha256Digest,
} from './catalog-events';
export {
  ClientClosedError,
  DeliveryError,
  EventRejectedError,
  InvalidOptionsError,
  LedgerClientError,
  LedgerIntegrityError,
  QueueFullError,
  SpoolError,
  VerificationUnavailableError,
} from './errors';
export type { IntegrityFailureCode, LedgerClientErrorCode } from './errors';
export type { Actor, FieldViolation, Receipt } from '@evidence-ledger/core';
