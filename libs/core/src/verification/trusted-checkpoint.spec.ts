import { leafHash } from '../hashing/sha256';
import { CompactRange } from '../merkle/compact-range';
import { signCheckpoint } from '../note/signed-checkpoint';
import { generateTestKey, TestKey } from '../note/testing/note-test-keys';
import { LogVerifier, VerifiableCheckpoint, VerifiableEntry } from './log-verifier';
import { TrustedCheckpoint } from './trusted-checkpoint';

const ORIGIN = 'ledger.test/acme';

// A log of `size` entries (`salt` makes another log with the same sizes), signed by `key` at
// each size in `checkpointAt`.
async function buildLog(key: TestKey, size: number, checkpointAt: readonly number[], salt = '') {
  const entries: VerifiableEntry[] = [];
  const notes = new Map<number, string>();
  const range = CompactRange.empty();
  if (checkpointAt.includes(0))
    notes.set(0, await signCheckpoint({ origin: ORIGIN, treeSize: 0, rootHash: range.root(), extensions: [] }, [key.signer]));
  for (let sequence = 0; sequence < size; sequence++) {
    const canonical = Buffer.from(`{"salt":"${salt}","sequence":${sequence},"tenant":"acme"}`);
    entries.push({ sequence, canonical });
    range.append(leafHash(canonical));
    if (checkpointAt.includes(range.treeSize)) {
      notes.set(
        range.treeSize,
        await signCheckpoint({ origin: ORIGIN, treeSize: range.treeSize, rootHash: range.root(), extensions: [] }, [key.signer]),
      );
    }
  }
  return { entries, notes };
}

// Feeds the log in order, each checkpoint right after the entry that completes it.
function verify(log: Awaited<ReturnType<typeof buildLog>>, trusted: TestKey, trustedCheckpoints: TrustedCheckpoint[]) {
  const verifier = new LogVerifier({ trusted: [trusted.verifier], origin: ORIGIN, tenant: 'acme', trustedCheckpoints });
  const checkpoint = (size: number): VerifiableCheckpoint | undefined => {
    const note = log.notes.get(size);
    return note === undefined ? undefined : { note, treeSize: size };
  };
  for (const entry of log.entries) {
    if (!verifier.entry(entry)) break;
    const c = checkpoint(verifier.treeSize);
    if (c && !verifier.checkpoint(c)) break;
  }
  return verifier.finish();
}

describe('LogVerifier with trusted checkpoints, and a wrong key', () => {
  const key = generateTestKey('ledger.test');
  let log: Awaited<ReturnType<typeof buildLog>>;
  const seen = (size: number, source = `cp-${size}`): TrustedCheckpoint => ({ source, note: log.notes.get(size) as string });

  beforeAll(async () => {
    log = await buildLog(key, 40, [0, 10, 25, 40]);
  });

  it('passes a log that extends every trusted checkpoint, at a checkpointed size, its end, or empty', () => {
    const report = verify(log, key, [seen(25), seen(40), seen(0), seen(10)]);
    expect(report.failure).toBeUndefined();
    expect(report.trustedCheckpoints.map((c) => c.treeSize).sort((a, b) => a - b)).toEqual([0, 10, 25, 40]);
  });

  it('fails a log cut back before a trusted checkpoint, naming it', () => {
    const cut = { entries: log.entries.slice(0, 25), notes: new Map([...log.notes].filter(([size]) => size <= 25)) };
    expect(verify(cut, key, []).failure).toBeUndefined();
    expect(verify(cut, key, [seen(40, 'seen.note')]).failure).toMatchObject({
      code: 'LOG_ROLLED_BACK',
      treeSize: 40,
      message: expect.stringContaining('the log ends at tree size 25, before the trusted checkpoint seen.note at tree size 40'),
    });
  });

  it('fails a log rewritten under the same key, at the trusted size', async () => {
    const other = await buildLog(key, 40, [10, 25, 40], 'rewritten');
    expect(verify(other, key, []).failure).toBeUndefined();
    expect(verify(other, key, [seen(25)]).failure).toMatchObject({ code: 'LOG_FORKED', treeSize: 25 });
  });

  it('fails a trusted checkpoint signed by another key, or of another log', async () => {
    const stranger = generateTestKey('ledger.test');
    const foreign = (await buildLog(stranger, 10, [10])).notes.get(10) as string;
    expect(verify(log, key, [{ source: 'foreign.note', note: foreign }]).failure).toMatchObject({
      code: 'TRUSTED_CHECKPOINT_UNVERIFIED',
      message: expect.stringMatching(/^trusted checkpoint foreign\.note: signed by key ledger\.test\+[0-9a-f]{8}, not by the key given/),
    });
  });

  it('says a log was signed by another key when its first checkpoint names none given; a bad signature stays tampering', () => {
    const stranger = generateTestKey('ledger.test');
    const wrong = verify(log, stranger, []);
    expect(wrong.failure).toMatchObject({ code: 'WRONG_KEY', treeSize: 10 });
    expect(wrong.failure?.message).toBe(
      `signed by key ledger.test+${key.signer.keyHash.toString(16).padStart(8, '0')}, not by the key given (ledger.test+${stranger.signer.keyHash.toString(16).padStart(8, '0')})`,
    );
    const note = log.notes.get(10) as string;
    const lines = note.split('\n');
    const sig = lines.length - 2;
    lines[sig] = lines[sig].slice(0, -10) + (lines[sig].at(-10) === 'A' ? 'B' : 'A') + lines[sig].slice(-9);
    const altered = { entries: log.entries, notes: new Map(log.notes).set(10, lines.join('\n')) };
    expect(verify(altered, key, []).failure).toMatchObject({ code: 'CHECKPOINT_UNVERIFIED', treeSize: 10 });
  });
});
