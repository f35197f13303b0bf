import { randomBytes } from 'node:crypto';
import { S3Client } from '@aws-sdk/client-s3';
import { S3ArchiveLocation } from '../stores/archive-location';

/**
 * The real S3 server the archive tests run against (scripts/s3-up.sh starts Ceph radosgw and
 * prints these variables). Without LEDGER_TEST_S3_ENDPOINT the S3 suites are skipped, saying so.
 */
export const S3_TEST_ENDPOINT = process.env.LEDGER_TEST_S3_ENDPOINT?.trim() || undefined;

export const S3_TEST_CREDENTIALS = {
  accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'LEDGERACCESSKEY',
  secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? 'LEDGERSECRETKEY123',
};

export const S3_SKIP_REASON =
  'SKIPPED: S3 Object Lock tests need a real S3 server; LEDGER_TEST_S3_ENDPOINT is not set (run: eval "$(scripts/s3-up.sh)")';

// `describe` when the server is configured; otherwise a skipped suite whose name is the reason,
// plus a warning in the test output, so a run without S3 never looks like one with it.
export function describeWithS3(name: string, body: (endpoint: string) => void): void {
  if (S3_TEST_ENDPOINT) {
    describe(name, () => body(S3_TEST_ENDPOINT));
    return;
  }
  describe(`${name} — ${S3_SKIP_REASON}`, () => {
    it.skip(S3_SKIP_REASON, () => undefined);
  });
  console.warn(`${name}: ${S3_SKIP_REASON}`);
}

/** A bucket name no other run uses. */
export function testBucket(label = 'archive'): string {
  return `ledger-${label}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

export function s3TestLocation(endpoint: string, bucket: string, prefix = ''): S3ArchiveLocation {
  return { kind: 's3', bucket, prefix, endpoint, region: process.env.AWS_REGION ?? 'us-east-1', forcePathStyle: true };
}

/** A plain SDK client, for doing to the bucket what an attacker with the archive's credentials could. */
export function rawS3Client(endpoint: string, credentials = S3_TEST_CREDENTIALS): S3Client {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  return new S3Client({
    endpoint,
    region: process.env.AWS_REGION ?? 'us-east-1',
    forcePathStyle: true,
    credentials,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}
