// RFC 3339 date-time, as the envelope allows it (core `RFC3339`), with its parts captured.
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:Z|([+-])(\d{2}):(\d{2}))$/i;
const POSTGRES_EPOCH_MS = Date.UTC(2000, 0, 1);
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const isLeapYear = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/**
 * An RFC 3339 instant as PostgreSQL stores a `timestamptz`: microseconds since
 * 2000-01-01T00:00:00Z, sub-microsecond digits rounded, a leap second rolled into the next
 * minute (as PostgreSQL does). `undefined` when the text names no real instant in years
 * 1–9999 — the envelope pattern only checks the shape, and an index column must never make
 * a batch fail; the canonical bytes keep the producer's text either way.
 */
export function timestampMicros(text: string): bigint | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const monthDays = month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1];
  // PostgreSQL takes a leap second (:60) only without a fraction.
  const leapFraction = second === 60 && /[1-9]/.test(m[7] ?? '');
  if (month < 1 || month > 12 || day < 1 || day > monthDays || hour > 23 || minute > 59 || second > 60 || leapFraction) return undefined;
  let offsetMinutes = 0;
  if (m[8]) {
    const [oh, om] = [Number(m[9]), Number(m[10])];
    if (oh > 23 || om > 59) return undefined;
    offsetMinutes = (m[8] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, 0, 0);
  const ms = date.getTime() + second * 1000 - offsetMinutes * 60_000;
  const utcYear = new Date(ms).getUTCFullYear();
  if (utcYear < 1 || utcYear > 9999) return undefined;
  const fraction = (m[7] ?? '').padEnd(7, '0');
  const micros = Number(fraction.slice(0, 6)) + (fraction.charCodeAt(6) >= 53 /* '5' */ ? 1 : 0);
  return BigInt(ms - POSTGRES_EPOCH_MS) * 1000n + BigInt(micros);
}

/** `timestampMicros` as UTC text PostgreSQL parses back to the same value. */
export function timestampText(micros: bigint): string {
  let ms = micros / 1000n;
  let rest = micros % 1000n;
  if (rest < 0n) {
    rest += 1000n;
    ms -= 1n;
  }
  const iso = new Date(Number(ms) + POSTGRES_EPOCH_MS).toISOString(); // …SS.mmmZ
  return `${iso.slice(0, -1)}${rest.toString().padStart(3, '0')}Z`;
}

/** The event time column: null when absent or not a real instant (see `timestampMicros`). */
export function eventTimeMicros(time: string | undefined): bigint | undefined {
  return time === undefined ? undefined : timestampMicros(time);
}

/** The server's own clock reading; a bad one is an appender bug, refused before any write. */
export function recordedAtMicros(recordedAt: string): bigint {
  const micros = timestampMicros(recordedAt);
  if (micros === undefined) throw new RangeError(`recordedAt ${JSON.stringify(recordedAt)} is not an RFC 3339 instant`);
  return micros;
}
