import { LogVerifier, LogVerifierOptions, VerifiableCheckpoint, VerifiableEntry } from './log-verifier';
import { VerificationReport } from './verification-failure';

// Verifies a log read from two ordered streams — its entries and its checkpoints — as a
// store or an export yields them, feeding each checkpoint right after the entries it covers.
export async function verifyLogStream(
  entries: AsyncIterable<VerifiableEntry> | Iterable<VerifiableEntry>,
  checkpoints: AsyncIterable<VerifiableCheckpoint> | Iterable<VerifiableCheckpoint>,
  options: LogVerifierOptions,
  onProgress?: (verifiedEntries: number) => void,
): Promise<VerificationReport> {
  const verifier = new LogVerifier(options);
  const cps = toAsync(checkpoints)[Symbol.asyncIterator]();
  let next = await cps.next();
  const due = (size: number) => !next.done && (next.value.treeSize ?? Number.MAX_SAFE_INTEGER) <= size;
  while (!next.done && (next.value.treeSize ?? 0) === 0) next = await cps.next();
  // `for await` takes sync iterables as they are; no wrapper, which would cost a promise per entry.
  for await (const entry of entries) {
    if (!verifier.entry(entry)) break;
    while (due(verifier.treeSize)) {
      if (!verifier.checkpoint(next.value as VerifiableCheckpoint)) return verifier.finish();
      next = await cps.next();
    }
    if (onProgress && verifier.treeSize % 100_000 === 0) onProgress(verifier.treeSize);
  }
  // Checkpoints left over claim entries the log does not have.
  if (!verifier.failed && !next.done) verifier.checkpoint(next.value);
  return verifier.finish();
}

async function* toAsync<T>(items: AsyncIterable<T> | Iterable<T>): AsyncIterable<T> {
  yield* items as AsyncIterable<T>;
}
