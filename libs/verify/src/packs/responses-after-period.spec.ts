import { canonicalBytes, leafHash, nodeHash } from '@evidence-ledger/core';
import { PACK_FILES, PackManifest, RESPONSE_PROOFS_FORMAT } from './pack-format';
import { responsesAfterPeriod } from './responses-after-period';

// A tree of three entries: two of the period (events.jsonl), then a management response
// recorded after it, carried with its inclusion proof (the hash of the first two leaves).
const entry = (sequence: number, over: Record<string, unknown> = {}) =>
  Buffer.from(
    canonicalBytes({
      specversion: '1.0',
      id: `0190b6f2-7c1e-7a3b-9f00-00000000000${sequence}`,
      source: 'urn:acme:governance',
      type: 'exception.response.recorded',
      producerrole: 'admin',
      data: {
        exception: { eventId: '0190b6f2-7c1e-7a3b-9f00-000000000000', rule: 'model-not-allowed' },
        rootCause: 'rc',
        remediation: 'fix',
        owner: 'platform',
        dueDate: '2026-11-01T00:00:00Z',
        status: 'open',
      },
      tenant: 'acme',
      sequence,
      recordedAt: '2026-10-02T08:00:00.000Z',
      producer: 'admin-key',
      ...over,
    }),
  );
const [first, second] = [entry(0, { type: 'x.note', recordedAt: '2026-10-01T08:00:00.000Z' }), entry(1, { type: 'x.note' })];
const manifest = {
  tenant: 'acme',
  period: { from: '2026-10-01T00:00:00.000Z', to: '2026-10-02T00:00:00.000Z' },
  checkpoint: { origin: 'ledger.test/acme', treeSize: 3, rootHash: '' },
} as unknown as PackManifest;
const pathOf2 = nodeHash(leafHash(first), leafHash(second));

function check(response: Buffer, eventsEnd = 2) {
  const root = nodeHash(pathOf2, leafHash(entry(2)));
  const failures: string[] = [];
  const files = {
    [PACK_FILES.responsesAfterPeriod]: Buffer.from(`${response.toString('utf8')}\n`),
    [PACK_FILES.responseProofs]: canonicalBytes({
      format: RESPONSE_PROOFS_FORMAT,
      treeSize: 3,
      proofs: [{ sequence: 2, hashes: [pathOf2.toString('base64')] }],
    }),
  };
  const entries = responsesAfterPeriod(files, manifest, eventsEnd, root, (where, message) => failures.push(`${where}: ${message}`));
  return { entries, failures };
}

describe('management responses carried after the period', () => {
  it('are read when each is a response recorded after the period and leaf `sequence` of the signed tree', () => {
    const { entries, failures } = check(entry(2));
    expect(failures).toEqual([]);
    expect(entries.map((e) => e.sequence)).toEqual([2]);
  });

  it.each([
    ['a response missing its fields', entry(2, { data: { status: 'remediated' } }), 'not a management response'],
    ['another tenant', entry(2, { tenant: 'globex' }), 'belongs to tenant globex'],
    ['one recorded in the period', entry(2, { recordedAt: '2026-10-01T09:00:00.000Z' }), 'recorded in the period'],
    ['one not posted by a governance role', entry(2, { producerrole: 'producer' }), 'not a management response'],
    ['another event', entry(2, { type: 'x.note' }), 'not a management response'],
    ['bytes that are not the leaf', entry(2, { source: 'urn:acme:elsewhere' }), 'inclusion proof does not lead to the signed root'],
  ])('refuse %s', (_what, bytes, message) => {
    const { entries, failures } = check(bytes);
    expect(entries).toEqual([]);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toContain(message);
  });

  it('refuse an entry that is not after the ones events.jsonl carries', () => {
    expect(check(entry(2), 3).failures[0]).toContain('its sequence is not after the entries before it');
  });
});
