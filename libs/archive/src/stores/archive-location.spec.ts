import { ArchiveError } from './archive-error';
import { describeArchiveLocation, parseArchiveLocation } from './archive-location';

const env = { LEDGER_S3_ENDPOINT: 'http://127.0.0.1:17480' };

describe('LEDGER_ARCHIVE', () => {
  it('defaults to ./data/archive', () => {
    expect(parseArchiveLocation(undefined, {}, '/srv/ledger')).toEqual({ kind: 'disk', directory: '/srv/ledger/data/archive' });
    expect(parseArchiveLocation('  ', {}, '/srv/ledger')).toEqual({ kind: 'disk', directory: '/srv/ledger/data/archive' });
  });

  it('takes a directory path or a file: URL', () => {
    expect(parseArchiveLocation('archive', {}, '/srv/ledger')).toEqual({ kind: 'disk', directory: '/srv/ledger/archive' });
    expect(parseArchiveLocation('/var/lib/ledger/archive', {}, '/srv')).toEqual({ kind: 'disk', directory: '/var/lib/ledger/archive' });
    expect(parseArchiveLocation('file:///var/lib/ledger/archive', {})).toEqual({ kind: 'disk', directory: '/var/lib/ledger/archive' });
  });

  it('takes s3://bucket/prefix with the endpoint and region from the environment', () => {
    const location = parseArchiveLocation('s3://evidence-archive/ledger/prod/', { ...env, LEDGER_S3_REGION: 'eu-central-1' });
    expect(location).toEqual({
      kind: 's3',
      bucket: 'evidence-archive',
      prefix: 'ledger/prod',
      endpoint: 'http://127.0.0.1:17480',
      region: 'eu-central-1',
      forcePathStyle: true,
    });
    expect(describeArchiveLocation(location)).toBe('s3://evidence-archive/ledger/prod at http://127.0.0.1:17480');
  });

  it('uses AWS itself, virtual-hosted, when no endpoint is set', () => {
    expect(parseArchiveLocation('s3://evidence-archive', { AWS_REGION: 'us-west-2' })).toEqual({
      kind: 's3',
      bucket: 'evidence-archive',
      prefix: '',
      endpoint: undefined,
      region: 'us-west-2',
      forcePathStyle: false,
    });
  });

  it.each([
    ['s3://', /names no bucket/],
    ['s3:///prefix', /names no bucket/],
    ['s3://Evidence', /not a valid S3 bucket name/],
    ['s3://ab', /not a valid S3 bucket name/],
    ['s3://a..b', /not a valid S3 bucket name/],
    ['s3://192.168.1.10/x', /not a valid S3 bucket name/],
    ['s3://bucket/../other', /'\.\.' path segment/],
    ['s3://bucket/%2e%2e/other', /letters, digits/],
    ['s3://bucket//x', /absolute/],
    ['s3://bucket/x//', /empty path segment/],
    ['s3://bucket:9000/x', /names a bucket, not a host and port/],
    ['s3://bucket/x?versionId=1', /query strings/],
    ['http://bucket/x', /unknown scheme "http:"/],
    ['ftp://host/x', /unknown scheme "ftp:"/],
    ['file://host/share', /absolute|UNC|host/i],
  ])('refuses %j with a clear error', (value, message) => {
    expect(() => parseArchiveLocation(value, env)).toThrow(ArchiveError);
    expect(() => parseArchiveLocation(value, env)).toThrow(message);
  });

  it('never repeats credentials put in the URL', () => {
    expect(() => parseArchiveLocation('s3://AKIA:sekrit@bucket/x', env)).toThrow(/credentials do not belong in the URL/);
    expect(() => parseArchiveLocation('s3://AKIA:sekrit@bucket/x', env)).not.toThrow(/sekrit/);
  });

  it('refuses an endpoint that is not an http(s) URL or carries credentials', () => {
    expect(() => parseArchiveLocation('s3://bucket', { LEDGER_S3_ENDPOINT: 'ftp://127.0.0.1:17480' })).toThrow(/must be an http/);
    expect(() => parseArchiveLocation('s3://bucket', { LEDGER_S3_ENDPOINT: 'not a url' })).toThrow(/is not a URL/);
    expect(() => parseArchiveLocation('s3://bucket', { LEDGER_S3_ENDPOINT: 'http://k:s@host' })).toThrow(/must not carry credentials/);
    expect(() => parseArchiveLocation('s3://bucket', { ...env, LEDGER_S3_FORCE_PATH_STYLE: 'maybe' })).toThrow(/true or false/);
  });
});
