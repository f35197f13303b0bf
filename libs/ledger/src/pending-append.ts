import { NoteSigner, PreparedEvent, Receipt } from '@evidence-ledger/core';

/** The outcome for one event of an append: its receipt, and whether it was a retry. */
export interface AppendedEvent {
  readonly receipt: Receipt;
  /** True when the event id was already in the log: nothing was written for it. */
  readonly duplicate: boolean;
}

/** One caller's events, waiting in a tenant's queue to be committed with others. */
export interface PendingAppend {
  readonly events: readonly PreparedEvent[];
  readonly producer: string;
  /** Extra keys that co-sign the checkpoint of the batch holding these events (key rotation). */
  readonly coSigners?: readonly NoteSigner[];
  resolve(result: AppendedEvent[]): void;
  reject(error: unknown): void;
}
