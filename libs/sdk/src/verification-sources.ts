import { ConsistencyProof } from '@evidence-ledger/core';
import { abortableDelay } from './abortable-delay';
import { ConsistencyProofSource } from './checkpoint-history';
import { LedgerIntegrityError, VerificationUnavailableError } from './errors';
import { ApiOutcome, LedgerApi } from './ledger-api';
import { decodeHash } from './receipt-verifier';
import { RetryPolicy } from './retry-policy';

// Consistency proofs from `GET /v1/proofs/consistency`, retried like deliveries. A ledger that
// refuses to prove sizes it signed before (400/404: it no longer has that tree) has been
// rolled back; one that cannot be reached leaves the receipt unverified, not failed.
export function consistencyProofSource(api: LedgerApi, retry: RetryPolicy, signal: AbortSignal): ConsistencyProofSource {
  return async (fromSize, toSize): Promise<ConsistencyProof> => {
    const outcome = await withRetries(retry, signal, () => api.consistencyProof(fromSize, toSize, signal));
    if (outcome.kind === 'ok') {
      const hashes = Array.isArray(outcome.body?.hashes) ? outcome.body.hashes.map(decodeHash) : [undefined];
      if (hashes.some((h) => h === undefined)) {
        throw new LedgerIntegrityError('CONSISTENCY_PROOF_INVALID', `the consistency proof from ${fromSize} to ${toSize} is malformed`);
      }
      return { fromSize: outcome.body.fromSize, toSize: outcome.body.toSize, hashes: hashes as Buffer[] };
    }
    if (outcome.kind === 'answered' && (outcome.status === 400 || outcome.status === 404)) {
      throw new LedgerIntegrityError(
        'CONSISTENCY_PROOF_REFUSED',
        `the ledger cannot prove that its tree of ${toSize} extends the tree of ${fromSize} it signed before (${outcome.problem.code}: ${outcome.problem.detail}): the log was rolled back or replaced`,
      );
    }
    throw unavailable(`the consistency proof from ${fromSize} to ${toSize}`, outcome);
  };
}

// `GET /v1/public-keys`, for trust on first use.
export function publicKeysSource(api: LedgerApi, retry: RetryPolicy, signal: AbortSignal) {
  return async (): Promise<{ origin: string; verifierKeys: string[] }> => {
    const outcome = await withRetries(retry, signal, () => api.publicKeys(signal));
    if (outcome.kind !== 'ok') throw unavailable("the ledger's public keys", outcome);
    const { origin, keys } = outcome.body ?? {};
    if (typeof origin !== 'string' || !Array.isArray(keys) || keys.some((k) => typeof k?.verifierKey !== 'string')) {
      throw new VerificationUnavailableError("the ledger's public keys came back malformed");
    }
    return { origin, verifierKeys: keys.map((k) => k.verifierKey) };
  };
}

async function withRetries<T>(retry: RetryPolicy, signal: AbortSignal, call: () => Promise<ApiOutcome<T>>): Promise<ApiOutcome<T>> {
  for (let attempt = 1; ; attempt++) {
    const outcome = await call();
    if (outcome.kind === 'ok' || signal.aborted || !retry.shouldRetry(outcome, attempt)) return outcome;
    await abortableDelay(retry.delayMs(attempt, outcome.kind === 'answered' ? outcome.retryAfterMs : undefined), signal);
  }
}

function unavailable(what: string, outcome: Exclude<ApiOutcome<unknown>, { kind: 'ok' }>): VerificationUnavailableError {
  const why =
    outcome.kind === 'answered' ? `${outcome.status} ${outcome.problem.code}` : String((outcome.error as Error)?.message ?? outcome.error);
  return new VerificationUnavailableError(
    `${what} could not be fetched (${why})`,
    undefined,
    outcome.kind === 'network' ? outcome.error : undefined,
  );
}
