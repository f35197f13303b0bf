import type { Receipt } from '@evidence-ledger/core';

/** A receipt the ledger returned, as the client checked it. */
export interface LedgerReceipt extends Receipt {
  /** True when the checkpoint, leaf, inclusion proof and consistency were all verified; false only with `verifyReceipts: false`. */
  readonly verified: boolean;
  /** True when the ledger already held this id (a retry): the receipt is the original one. */
  readonly alreadyRecorded: boolean;
}

/**
 * What every `record…` call returns at once. Await it for the verified receipt; await
 * `accepted` to know only that the event is queued — and, with a spool, on stable storage —
 * which is all a fire-and-forget producer needs. Failures after acceptance then go to the
 * client's `onEventFailed` hook (or a process warning when nothing listens).
 */
export class PendingReceipt implements PromiseLike<LedgerReceipt> {
  /** Resolves once the event is queued for delivery; with a spool, once it is fsync'd there. */
  readonly accepted: Promise<void>;
  private readonly settled: Promise<LedgerReceipt>;
  private observedReceipt = false;

  private constructor(
    /** The event's id (a UUIDv7 unless you gave one). */
    readonly id: string,
    accepted: Promise<void>,
    settled: Promise<LedgerReceipt>,
  ) {
    this.accepted = accepted;
    this.settled = settled;
    // Rejections are delivered to whoever awaits; unobserved ones are reported by the client.
    accepted.catch(() => undefined);
    settled.catch(() => undefined);
  }

  /** The verified receipt, as a plain promise. */
  get receipt(): Promise<LedgerReceipt> {
    this.observedReceipt = true;
    return this.settled;
  }

  /** Whether anyone asked for the receipt (awaited it, or called then/catch/finally). */
  get observed(): boolean {
    return this.observedReceipt;
  }

  then<A = LedgerReceipt, B = never>(
    onfulfilled?: ((value: LedgerReceipt) => A | PromiseLike<A>) | null,
    onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.receipt.then(onfulfilled, onrejected);
  }

  catch<B = never>(onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<LedgerReceipt | B> {
    return this.receipt.catch(onrejected);
  }

  finally(onfinally?: (() => void) | null): Promise<LedgerReceipt> {
    return this.receipt.finally(onfinally);
  }

  // The settling side, kept by the client. `fail` before `accept` fails both stages.
  static create(id: string): { pending: PendingReceipt; accept(): void; resolve(r: LedgerReceipt): void; fail(e: Error): void } {
    let accept!: () => void;
    let refuse!: (e: Error) => void;
    let resolve!: (r: LedgerReceipt) => void;
    let reject!: (e: Error) => void;
    const accepted = new Promise<void>((a, r) => ((accept = a), (refuse = r)));
    const settled = new Promise<LedgerReceipt>((a, r) => ((resolve = a), (reject = r)));
    let wasAccepted = false;
    return {
      pending: new PendingReceipt(id, accepted, settled),
      accept: () => {
        wasAccepted = true;
        accept();
      },
      resolve,
      fail: (e) => {
        if (!wasAccepted) refuse(e);
        reject(e);
      },
    };
  }

  /** A submission refused on the spot. */
  static failed(id: string, error: Error): PendingReceipt {
    const s = PendingReceipt.create(id);
    s.fail(error);
    return s.pending;
  }
}
