import { createHash } from 'node:crypto';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  GetObjectRetentionCommand,
  PutObjectCommand,
  PutObjectRetentionCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { S3ArchiveStore } from './s3-archive-store';
import { archiveStoreContract, DAY_MS, inADay, readAll, rejectsWith, sha256Hex } from '../testing/archive-store.contract';
import { describeWithS3, rawS3Client, s3TestLocation, S3_TEST_CREDENTIALS, S3_TEST_ENDPOINT, testBucket } from '../testing/s3-test-server';

// The contract suite against the real server, on one bucket created with Object Lock.
const contractEndpoint = S3_TEST_ENDPOINT;
if (contractEndpoint) {
  const bucket = testBucket('contract');
  archiveStoreContract(`the S3 archive (Object Lock on ${contractEndpoint})`, () => ({
    open: (options) => S3ArchiveStore.open(s3TestLocation(contractEndpoint, bucket), { credentials: S3_TEST_CREDENTIALS, ...options }),
  }));
}

describeWithS3('the S3 archive keeps archived objects in COMPLIANCE mode', (endpoint) => {
  const bucket = testBucket('worm');
  let store: S3ArchiveStore;
  let raw: S3Client;
  const pack = Buffer.from(JSON.stringify({ framework: 'hipaa', period: '2026-Q3', controls: ['164.312(b)'] }));
  const key = 'packs/acme/hipaa/2026-q3.zip';
  let retainUntil: Date;
  let versionId: string;

  beforeAll(async () => {
    store = await S3ArchiveStore.open(s3TestLocation(endpoint, bucket, 'evidence'), { credentials: S3_TEST_CREDENTIALS });
    raw = rawS3Client(endpoint);
    retainUntil = new Date(Date.now() + 2 * DAY_MS);
    versionId = (await store.put(key, pack, { retainUntil, contentType: 'application/zip' })).versionId;
  });
  afterAll(async () => {
    raw?.destroy();
    await store?.close();
  });

  const objectKey = `evidence/${key}`;

  it('reports the COMPLIANCE mode, the retain-until date and the legal hold of an archived pack', async () => {
    const head = await store.head(key);
    expect(head).toMatchObject({ key, lockMode: 'COMPLIANCE', legalHold: false, versionId, sha256: sha256Hex(pack), laterVersions: 0 });
    expect(Math.abs((head?.retainUntil as Date).getTime() - retainUntil.getTime())).toBeLessThan(1000);
    const retention = await raw.send(new GetObjectRetentionCommand({ Bucket: bucket, Key: objectKey, VersionId: versionId }));
    expect(retention.Retention?.Mode).toBe('COMPLIANCE');
  });

  it('reads back identical bytes with the SHA-256 recorded at archive time', async () => {
    const { object, body } = await store.get(key);
    const bytes = await readAll(body);
    expect(bytes.equals(pack)).toBe(true);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(object.sha256);
  });

  it('cannot be deleted before retention: the server refuses DeleteObject on its version, even with a governance bypass', async () => {
    const remove = (bypass: boolean) =>
      raw.send(new DeleteObjectCommand({ Bucket: bucket, Key: objectKey, VersionId: versionId, BypassGovernanceRetention: bypass }));
    await expect(remove(false)).rejects.toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    await expect(remove(true)).rejects.toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    const error = await rejectsWith(store.delete(key), 'RETENTION_ACTIVE');
    expect(error.message).toMatch(/locked \(COMPLIANCE\) until .*S3 refused to delete it/);
    expect((await readAll((await store.get(key)).body)).equals(pack)).toBe(true);
  });

  it('cannot have its retention shortened or turned into GOVERNANCE mode', async () => {
    const shorten = (mode: 'COMPLIANCE' | 'GOVERNANCE', until: Date) =>
      raw.send(
        new PutObjectRetentionCommand({
          Bucket: bucket,
          Key: objectKey,
          VersionId: versionId,
          Retention: { Mode: mode, RetainUntilDate: until },
        }),
      );
    await expect(shorten('COMPLIANCE', new Date(Date.now() + 60_000))).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
    await expect(shorten('GOVERNANCE', new Date(Date.now() + 3 * DAY_MS))).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
  });

  it('cannot be overwritten: the adapter refuses the key, and a raw PUT only adds a version that never replaces the archived one', async () => {
    await rejectsWith(
      store.put(key, Buffer.from('forged pack'), { retainUntil: inADay(), contentType: 'application/zip' }),
      'OBJECT_EXISTS',
    );
    const forged = await raw.send(
      new PutObjectCommand({ Bucket: bucket, Key: objectKey, Body: 'forged pack', ContentType: 'application/zip' }),
    );
    expect(forged.VersionId).not.toBe(versionId);
    const original = await raw.send(new GetObjectCommand({ Bucket: bucket, Key: objectKey, VersionId: versionId }));
    expect(Buffer.from(await (original.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray()).equals(pack)).toBe(
      true,
    );
    const { object, body } = await store.get(key);
    expect(object).toMatchObject({ versionId, laterVersions: 1, lockMode: 'COMPLIANCE' });
    expect((await readAll(body)).equals(pack)).toBe(true);
  });

  it('survives a delete marker: the archived version stays listed and readable', async () => {
    await raw.send(new DeleteObjectCommand({ Bucket: bucket, Key: objectKey }));
    const keys: string[] = [];
    for await (const item of store.list('packs/')) keys.push(item.key);
    expect(keys).toEqual([key]);
    const { object, body } = await store.get(key);
    expect(object.versionId).toBe(versionId);
    expect((await readAll(body)).equals(pack)).toBe(true);
  });

  it('reports a legal hold placed at archive time, and the server keeps the object under it', async () => {
    const held = await store.put('packs/acme/held.zip', pack, { retainUntil: inADay(), contentType: 'application/zip', legalHold: true });
    expect(await store.head('packs/acme/held.zip')).toMatchObject({ legalHold: true, lockMode: 'COMPLIANCE' });
    await expect(
      raw.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'evidence/packs/acme/held.zip', VersionId: held.versionId })),
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
  });
});

describeWithS3('the S3 archive refuses storage it cannot trust', (endpoint) => {
  let raw: S3Client;
  beforeAll(() => {
    raw = rawS3Client(endpoint);
  });
  afterAll(() => raw?.destroy());

  it('refuses a bucket without Object Lock, with a clear error', async () => {
    const plain = testBucket('plain');
    await raw.send(new CreateBucketCommand({ Bucket: plain }));
    const error = await rejectsWith(
      S3ArchiveStore.open(s3TestLocation(endpoint, plain), { credentials: S3_TEST_CREDENTIALS }),
      'BUCKET_NOT_LOCKED',
    );
    expect(error.message).toContain(`S3 bucket ${plain} does not have Object Lock enabled`);
  });

  it('creates a missing bucket with Object Lock enabled', async () => {
    const fresh = testBucket('fresh');
    const store = await S3ArchiveStore.open(s3TestLocation(endpoint, fresh), { credentials: S3_TEST_CREDENTIALS });
    try {
      const put = await store.put('a', Buffer.from('a'), { retainUntil: inADay(), contentType: 'text/plain' });
      expect(put.lockMode).toBe('COMPLIANCE');
    } finally {
      await store.close();
    }
  });

  it('says the credentials are wrong when they are', async () => {
    const error = await rejectsWith(
      S3ArchiveStore.open(s3TestLocation(endpoint, testBucket('denied')), {
        credentials: { accessKeyId: 'LEDGERACCESSKEY', secretAccessKey: 'wrong' },
      }),
      'ARCHIVE_DENIED',
    );
    expect(error.message).toMatch(/HTTP 403/);
  });

  it('says the endpoint is unreachable when nothing listens there', async () => {
    const error = await rejectsWith(
      S3ArchiveStore.open(s3TestLocation('http://127.0.0.1:9', testBucket('down')), { credentials: S3_TEST_CREDENTIALS }),
      'ARCHIVE_UNAVAILABLE',
    );
    expect(error.message).toMatch(/ECONNREFUSED.*LEDGER_S3_ENDPOINT/);
  });
});
