import { decodeBase64, encodeBase64 } from './base64';

describe('strict base64 (RFC 4648 §4)', () => {
  it('round-trips bytes of every length modulo 3', () => {
    for (const length of [0, 1, 2, 3, 4, 32, 33]) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 37 + 11) & 0xff);
      expect(Buffer.from(decodeBase64(encodeBase64(bytes))!)).toEqual(Buffer.from(bytes));
    }
  });

  it.each([
    ['unpadded', 'AAE'],
    ['URL-safe alphabet', '-_8='],
    ['a space inside', 'AA AA'],
    ['a trailing newline', 'AAAA\n'],
    ['non-zero trailing bits', 'AB=='],
    ['padding in the middle', 'AA==AAAA'],
    ['a lone character', 'A'],
  ])('refuses %s', (_, text) => {
    expect(decodeBase64(text)).toBeUndefined();
  });

  it('refuses what is not a string, whatever it would print as', () => {
    for (const value of [undefined, null, 1234, ['AAAA'], { toString: () => 'AAAA' }]) expect(decodeBase64(value)).toBeUndefined();
  });
});
