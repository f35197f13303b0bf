import { decodeBase64 } from '@evidence-ledger/core';
import * as packs from '../packs';
import { strictBase64 } from './log-lines';

// One strict base64 for the whole code base: the pack code and the log lines use the core's.
describe('base64 of log lines and packs', () => {
  it('is the core decoder', () => {
    expect(packs.decodeBase64).toBe(decodeBase64);
  });

  it.each(['AB==', 'AAE', '-_8=', 'AAAA\n'])('refuses %j as the core does', (text) => {
    expect(decodeBase64(text)).toBeUndefined();
    expect(strictBase64(text, 'leafHash')).toBe('leafHash is not standard base64');
  });

  it('returns the bytes, checked against the expected size', () => {
    const hash = Buffer.alloc(32, 7).toString('base64');
    expect(strictBase64(hash, 'leafHash', 32)).toEqual(Buffer.alloc(32, 7));
    expect(strictBase64(hash, 'leafHash', 31)).toBe('leafHash is 32 bytes, expected 31');
    expect(strictBase64(undefined, 'leafHash')).toBe('leafHash is missing');
  });
});
