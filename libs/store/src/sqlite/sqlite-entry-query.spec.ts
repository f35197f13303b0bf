import { planEntryQuery } from '../entry-query';
import { sqliteEntryQuery, sqliteRecordedAt } from './sqlite-entry-query';

const bound = (text: string) => sqliteRecordedAt(planEntryQuery({ limit: 1, recordedFrom: text }).recordedFrom!);

describe('SQLite time bounds', () => {
  it('keep a whole-millisecond bound as the sequencer writes recordedAt', () => {
    expect(bound('2026-11-21T02:05:00+02:00')).toBe('2026-11-21T00:05:00.000Z');
    expect(bound('2026-11-21T00:05:00.123Z')).toBe('2026-11-21T00:05:00.123Z');
  });

  it('round a finer bound up to the next millisecond', () => {
    expect(bound('2026-11-21T00:05:00.123001Z')).toBe('2026-11-21T00:05:00.124Z');
    expect(bound('2026-12-31T23:59:59.9999Z')).toBe('2027-01-01T00:00:00.000Z');
  });

  it('sort a bound past year 9999 after every stored time', () => {
    const last = bound('9999-12-31T23:59:59.9991Z');
    expect(last > '9999-12-31T23:59:59.999Z').toBe(true);
  });
});

describe('SQLite entry query', () => {
  it('binds every value and reads one row past the page', () => {
    const plan = planEntryQuery({ type: "x'; drop table entries; --", after: 7, limit: 50, order: 'desc' });
    const { sql, values } = sqliteEntryQuery('sequence', 3, plan);
    expect(sql).toBe('SELECT sequence FROM entries WHERE log_id = ? AND type = ? AND sequence > ? ORDER BY sequence DESC LIMIT ?');
    expect(values).toEqual([3, "x'; drop table entries; --", 7, 51]);
  });
});
