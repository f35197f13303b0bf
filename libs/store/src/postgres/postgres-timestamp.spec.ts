import { timestampMicros, timestampText } from './postgres-timestamp';

const micros = (iso: string, extra = 0) => BigInt(Date.parse(iso) - Date.UTC(2000, 0, 1)) * 1000n + BigInt(extra);

describe('event times as PostgreSQL timestamptz', () => {
  it('counts microseconds from 2000-01-01 UTC', () => {
    expect(timestampMicros('2000-01-01T00:00:00Z')).toBe(0n);
    expect(timestampMicros('2026-11-21T00:00:00.123456Z')).toBe(micros('2026-11-21T00:00:00.123Z', 456));
    expect(timestampMicros('1999-12-31T23:59:59.999999Z')).toBe(-1n);
  });

  it('applies the offset', () => {
    expect(timestampMicros('2026-11-21T02:00:00+02:00')).toBe(timestampMicros('2026-11-21T00:00:00Z'));
    expect(timestampMicros('2026-11-20T23:30:00-00:30')).toBe(timestampMicros('2026-11-21T00:00:00Z'));
  });

  it('rounds nanoseconds to microseconds, carrying into the next second', () => {
    expect(timestampMicros('2026-11-21T00:00:00.0000015Z')).toBe(micros('2026-11-21T00:00:00Z', 2));
    expect(timestampMicros('2026-11-21T00:00:59.9999996Z')).toBe(micros('2026-11-21T00:01:00Z'));
  });

  it('rolls a leap second into the next minute', () => {
    expect(timestampMicros('2016-12-31T23:59:60Z')).toBe(micros('2017-01-01T00:00:00Z'));
  });

  it.each([
    '2026-02-29T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-04-31T00:00:00Z',
    '2026-11-21T24:00:00Z',
    '2026-11-21T00:60:00Z',
    '2026-11-21T00:00:00+24:00',
    '2016-12-31T23:59:60.5Z',
    '0000-06-01T00:00:00Z',
    'yesterday',
  ])('has no instant for %j', (text) => {
    expect(timestampMicros(text)).toBeUndefined();
  });

  it('keeps years below 100 as written (Date.UTC would read 99 as 1999)', () => {
    const year99 = new Date(0);
    year99.setUTCFullYear(99, 0, 1);
    expect(timestampMicros('0099-01-01T00:00:00Z')).toBe(BigInt(year99.getTime() - Date.UTC(2000, 0, 1)) * 1000n);
  });

  it('prints UTC text with microseconds', () => {
    expect(timestampText(timestampMicros('2026-11-21T02:00:00.1234567+02:00')!)).toBe('2026-11-21T00:00:00.123457Z');
    expect(timestampText(-1n)).toBe('1999-12-31T23:59:59.999999Z');
    expect(timestampText(timestampMicros('0001-01-01T00:00:00Z')!)).toBe('0001-01-01T00:00:00.000000Z');
  });
});
