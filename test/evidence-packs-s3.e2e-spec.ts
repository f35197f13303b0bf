import { DeleteObjectCommand, GetObjectRetentionCommand, S3Client } from '@aws-sdk/client-s3';
import { demoScenario } from '@evidence-ledger/samples';
import { rawPublicKeys, verifyEvidencePack } from '@evidence-ledger/verify';
import { parsePublicKeys } from '@evidence-ledger/signing';
import { S3ArchiveStore } from '../libs/archive/src/stores/s3-archive-store';
import { readAll } from '../libs/archive/src/testing/archive-store.contract';
import { describeWithS3, rawS3Client, s3TestLocation, S3_TEST_CREDENTIALS, testBucket } from '../libs/archive/src/testing/s3-test-server';
import { sqliteHandle, StoreHandle } from '../libs/ledger/src/testing/ledger-fixture';
import { call } from './support/http-client';
import { postScenario } from './support/post-scenario';
import { newSite, RunningLedger, startLedger } from './support/ledger-server';

const DAY_MS = 86_400_000;

// The service with LEDGER_ARCHIVE=s3://…: a pack requested over the API lands in the real S3
// server (radosgw, scripts/s3-up.sh) under Object Lock in COMPLIANCE mode for the template's
// retention, and nobody holding the archive's credentials can delete or replace it.
describeWithS3('evidence packs archived on S3 with Object Lock', (endpoint) => {
  const bucket = testBucket('packs');
  const saved = { archive: process.env.LEDGER_ARCHIVE, endpoint: process.env.LEDGER_S3_ENDPOINT };
  let handle: StoreHandle;
  let ledger: RunningLedger;
  let archive: S3ArchiveStore;
  let raw: S3Client;
  let auditor: string;

  beforeAll(async () => {
    process.env.LEDGER_ARCHIVE = `s3://${bucket}/ledger`;
    process.env.LEDGER_S3_ENDPOINT = endpoint;
    handle = sqliteHandle();
    ledger = await startLedger(newSite(handle.location));
    const key = async (name: string, role: string) =>
      (await call(`${ledger.url}/v1/api-keys`, { key: ledger.adminKey, json: { name, role } })).body.key as string;
    const producer = await key('gateway', 'producer');
    auditor = await key('auditor', 'auditor');
    const events = demoScenario().events.slice(0, 200);
    for (const status of await postScenario(ledger.url, { producer, admin: ledger.adminKey }, events)) expect(status).toBe(201);
    archive = await S3ArchiveStore.open(s3TestLocation(endpoint, bucket, 'ledger'), { credentials: S3_TEST_CREDENTIALS });
    raw = rawS3Client(endpoint);
  });
  afterAll(async () => {
    raw?.destroy();
    await archive?.close();
    await ledger?.close();
    await handle?.cleanup();
    for (const [name, value] of [
      ['LEDGER_ARCHIVE', saved.archive],
      ['LEDGER_S3_ENDPOINT', saved.endpoint],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('stores the pack in COMPLIANCE mode for the framework retention; it cannot be deleted or replaced', async () => {
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date().toISOString();
    const created = await call(`${ledger.url}/v1/evidence-packs`, { key: auditor, json: { framework: 'hipaa', from, to } });
    expect(created.status).toBe(202);
    const id = created.body.id as string;
    let status: Record<string, unknown> = {};
    for (let i = 0; i < 600 && status.status !== 'ready' && status.status !== 'failed'; i++) {
      status = (await call(`${ledger.url}/v1/evidence-packs/${id}`, { key: auditor })).body;
      await new Promise((done) => setTimeout(done, 50));
    }
    expect(status).toMatchObject({ status: 'ready', locked: true });

    const key = `evidence-packs/default/hipaa/${id}.zip`;
    const head = await archive.head(key);
    expect(head).toMatchObject({ key, lockMode: 'COMPLIANCE', sha256: status.sha256 });
    // HIPAA 164.316(b)(2): six years.
    expect((head?.retainUntil as Date).getTime()).toBeGreaterThan(Date.now() + 6 * 365 * DAY_MS - DAY_MS);
    expect(status.retainUntil).toBe((head?.retainUntil as Date).toISOString());
    const retention = await raw.send(new GetObjectRetentionCommand({ Bucket: bucket, Key: `ledger/${key}`, VersionId: head?.versionId }));
    expect(retention.Retention?.Mode).toBe('COMPLIANCE');

    const download = await fetch(`${ledger.url}/v1/evidence-packs/${id}/download`, { headers: { authorization: `Bearer ${auditor}` } });
    const served = Buffer.from(await download.arrayBuffer());
    const stored = await readAll((await archive.get(key)).body);
    expect(served.equals(stored)).toBe(true);
    const pem = ledger.runtime.signer.publicKeyPem();
    const verification = verifyEvidencePack(stored, { noteKeys: parsePublicKeys(pem), rawKeys: rawPublicKeys(pem) });
    expect(verification.failures).toEqual([]);
    // The lock is real here, so the pack claims it and the six-year control is decided on it.
    expect(verification.controls?.inputs.retention).toEqual({ days: 2192, locked: true, archive: 's3' });
    expect(verification.controls?.controls.find((c) => c.id === '164.316(b)(2)')?.status).toBe('satisfied');

    await expect(
      raw.send(new DeleteObjectCommand({ Bucket: bucket, Key: `ledger/${key}`, VersionId: head?.versionId })),
    ).rejects.toMatchObject({
      $metadata: { httpStatusCode: 403 },
    });
    await expect(
      archive.put(key, Buffer.from('a forged pack'), { contentType: 'application/zip', retainUntil: new Date(Date.now() + DAY_MS) }),
    ).rejects.toMatchObject({
      code: 'OBJECT_EXISTS',
    });
    expect((await readAll((await archive.get(key)).body)).equals(stored)).toBe(true);
  });
});
