import { gzipSync } from 'node:zlib';
import { decodeDecisionLogBody, DECISION_LOG_LIMITS } from './decision-log-body';

const gz = { 'content-type': 'application/json', 'content-encoding': 'gzip' };
const json = (v: unknown) => Buffer.from(JSON.stringify(v));

describe('decoding an OPA decision-log upload', () => {
  it('reads a gzip-compressed JSON array, as OPA sends it, and a plain one', async () => {
    await expect(decodeDecisionLogBody(gzipSync(json([{ a: 1 }])), gz)).resolves.toEqual([{ a: 1 }]);
    await expect(decodeDecisionLogBody(json([{ a: 1 }]), { 'content-type': 'application/json' })).resolves.toEqual([{ a: 1 }]);
  });

  it.each<[string, Buffer, Record<string, string>, number | undefined, string]>([
    ['a gzip bomb', gzipSync(Buffer.alloc(DECISION_LOG_LIMITS.maxDecompressedBytes + 1, 0x20)), gz, 413, 'BATCH_TOO_LARGE'],
    ['a truncated gzip stream', gzipSync(json([{ a: 1 }])).subarray(0, 12), gz, 400, 'INVALID_ENCODING'],
    ['plain bytes declared as gzip', json([{ a: 1 }]), gz, 400, 'INVALID_ENCODING'],
    ['malformed JSON', gzipSync(Buffer.from('[{"a":')), gz, undefined, 'INVALID_JSON'],
    ['an object instead of an array', json({ a: 1 }), {}, undefined, 'INVALID_ENVELOPE'],
    ['an empty array', json([]), {}, undefined, 'EMPTY_BATCH'],
    ['too many decisions', json(new Array(DECISION_LOG_LIMITS.maxDecisions + 1).fill({})), {}, undefined, 'BATCH_TOO_LARGE'],
    ['brotli', json([]), { 'content-encoding': 'br' }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['a non-JSON content type', json([]), { 'content-type': 'text/plain' }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
  ])('refuses %s', async (_what, body, headers, status, code) => {
    await expect(decodeDecisionLogBody(body, headers)).rejects.toMatchObject({ code, ...(status && { status }) });
  });
});
