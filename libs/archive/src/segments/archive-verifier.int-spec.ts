import { createHash } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TrustedNoteKey } from '@evidence-ledger/core';
import { LocalKeySigner, parsePublicKeys } from '@evidence-ledger/signing';
import { Ledger } from '@evidence-ledger/ledger';
import { LedgerStore } from '@evidence-ledger/store';
import { ArchiveStore, DiskArchiveStore } from '../stores';
import { modelInvocation } from '../../../ledger/src/testing/events';
import { sqliteHandle, StoreHandle } from '../../../ledger/src/testing/ledger-fixture';
import { ArchiveFailure, verifyArchive } from './archive-verifier';
import { segmentKey } from './segment-keys';
import { SegmentSealer } from './segment-sealer';

const PREFIX = 'ledger.test';

// Segments rewritten the way an attacker with write access to a disk archive would: the
// object and its recorded SHA-256 together, so only the content checks can catch it.
describe('archive verify on segments rewritten together with their recorded digest', () => {
  let handle: StoreHandle;
  let store: LedgerStore;
  let archive: ArchiveStore;
  let dir: string;
  let trusted: TrustedNoteKey[];

  beforeAll(async () => {
    handle = sqliteHandle();
    store = await handle.open();
    dir = mkdtempSync(join(tmpdir(), 'verifier-'));
    const signer = LocalKeySigner.generate(PREFIX);
    trusted = parsePublicKeys(signer.publicKeyPem());
    const ledger = new Ledger({ store, signer, originPrefix: PREFIX });
    for (const size of [4, 4, 4])
      await ledger.append(
        'acme',
        'producer-1',
        Array.from({ length: size }, () => modelInvocation()),
      );
    await ledger.close();
  });
  afterAll(async () => {
    await store.close();
    await handle.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  let n = 0;
  // A fresh archive with segments [0, 4) and [4, 12), then `edit` applied to the second one's lines.
  async function verifyEdited(edit: (lines: string[]) => string[]): Promise<ArchiveFailure | undefined> {
    const root = join(dir, `archive-${++n}`);
    archive = await DiskArchiveStore.open(root);
    const sealer = new SegmentSealer(store, archive);
    const retainUntil = new Date(Date.now() + 3600_000);
    await sealer.seal('acme', { to: 4, retainUntil });
    await sealer.seal('acme', { retainUntil });
    const key = segmentKey('acme', 4, 12);
    const path = join(root, key);
    const text = `${edit(readFileSync(path, 'utf8').trimEnd().split('\n')).join('\n')}\n`;
    chmodSync(path, 0o644);
    writeFileSync(path, text);
    const sidecarPath = join(root, '.meta', `${key}.json`);
    const sidecar = JSON.parse(readFileSync(sidecarPath, 'utf8')) as Record<string, unknown>;
    chmodSync(sidecarPath, 0o644);
    const sha256 = createHash('sha256').update(text).digest('hex');
    writeFileSync(sidecarPath, JSON.stringify({ ...sidecar, sha256, size: Buffer.byteLength(text) }));
    const report = await verifyArchive({ archive, store, tenant: 'acme', trusted });
    return report.failure;
  }
  const header = (lines: string[]) => JSON.parse(lines[0]) as Record<string, unknown>;
  const withHeader = (lines: string[], change: Record<string, unknown>) => [
    JSON.stringify({ ...header(lines), ...change }),
    ...lines.slice(1),
  ];

  it('passes an unedited archive', async () => {
    expect(await verifyEdited((lines) => lines)).toBeUndefined();
  });

  it('catches a forged consistency proof', async () => {
    const failure = await verifyEdited((lines) => {
      const h = header(lines) as { consistencyProof: string[] };
      return withHeader(lines, { consistencyProof: [...h.consistencyProof].reverse() });
    });
    expect(failure).toMatchObject({ code: 'SEGMENT_PROOF_INVALID', key: segmentKey('acme', 4, 12), line: 1 });
  });

  it('catches a start chain hash or frontier that does not continue the previous segment', async () => {
    const zero = Buffer.alloc(32).toString('base64');
    expect(
      await verifyEdited((lines) => withHeader(lines, { start: { ...(header(lines).start as object), chainHash: zero } })),
    ).toMatchObject({
      code: 'SEGMENT_MISMATCH',
      line: 1,
    });
    expect(
      await verifyEdited((lines) => withHeader(lines, { start: { ...(header(lines).start as object), frontier: [zero] } })),
    ).toMatchObject({
      code: 'SEGMENT_MISMATCH',
      line: 1,
    });
  });

  it('catches a header that claims other entries than its key', async () => {
    expect(await verifyEdited((lines) => withHeader(lines, { to: 13 }))).toMatchObject({ code: 'SEGMENT_MISMATCH', line: 1 });
    expect(await verifyEdited((lines) => withHeader(lines, { tenant: 'globex' }))).toMatchObject({ code: 'SEGMENT_MISMATCH', line: 1 });
  });

  it('catches a missing opening checkpoint', async () => {
    expect(await verifyEdited((lines) => [lines[0], ...lines.slice(2)])).toMatchObject({ code: 'SEGMENT_MISMATCH', line: 2 });
  });

  it('catches a segment cut at a line boundary', async () => {
    const failure = await verifyEdited((lines) => lines.slice(0, -2));
    expect(failure).toMatchObject({ code: 'SEGMENT_TRUNCATED', sequence: 11 });
  });

  it('catches an entry moved into the wrong segment', async () => {
    const failure = await verifyEdited((lines) => [...lines.slice(0, 2), lines[3], lines[2], ...lines.slice(4)]);
    expect(failure).toMatchObject({ code: 'ENTRY_MISSING', sequence: 4, line: 3 });
  });

  it('refuses a line longer than any entry can be, without reading it whole', async () => {
    const failure = await verifyEdited((lines) => [
      ...lines.slice(0, 3),
      `{"sequence":5,"canonical":"${'A'.repeat(2 << 20)}"}`,
      ...lines.slice(4),
    ]);
    expect(failure).toMatchObject({ code: 'SEGMENT_MALFORMED', line: 4 });
  });

  it('names an entry line that is not JSON', async () => {
    expect(await verifyEdited((lines) => [...lines.slice(0, 3), lines[3].slice(0, 30), ...lines.slice(4)])).toMatchObject({
      code: 'SEGMENT_MALFORMED',
      sequence: 5,
      line: 4,
    });
  });
});
