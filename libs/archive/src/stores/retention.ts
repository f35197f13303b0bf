import { ArchiveError } from './archive-error';

/**
 * How long archived evidence must be kept, per compliance framework (docs/archive.md).
 *
 * | framework   | default | floor    | source                                                                   |
 * | ----------- | ------- | -------- | ------------------------------------------------------------------------ |
 * | `soc2`      | 1 year  | none     | AICPA TSC set no period; a Type II report covers ≥ 6–12 months, so audit |
 * |             |         |          | practice keeps evidence at least one year (the period plus fieldwork)    |
 * | `iso27001`  | 3 years | none     | ISO/IEC 27001:2022 7.5.3 / A.5.33 leave it to the organization; 3 years  |
 * |             |         |          | spans one three-year certification cycle (ISO/IEC 17021-1)               |
 * | `hipaa`     | 6 years | 6 years  | 45 CFR 164.316(b)(2)(i): six years from creation or last effective date  |
 * | `eu-ai-act` | 6 months| 6 months | Regulation (EU) 2024/1689 Art. 19(1) and Art. 26(6): logs kept "for a    |
 * |             |         |          | period appropriate to the intended purpose … of at least six months"     |
 *
 * A policy may lengthen any period (`hipaa=7y`) but never go below a framework's floor.
 */
export type Framework = 'soc2' | 'iso27001' | 'hipaa' | 'eu-ai-act';

/** A calendar period: months and days are added in UTC, so "1y" from 29 Feb ends on 1 Mar. */
export interface RetentionPeriod {
  readonly years: number;
  readonly months: number;
  readonly days: number;
}

export interface FrameworkRetention {
  readonly framework: Framework;
  readonly title: string;
  /** What a policy naming the framework gets unless it says otherwise. */
  readonly period: RetentionPeriod;
  /** The legal minimum, if the framework sets one; shorter overrides are refused. */
  readonly floor?: RetentionPeriod;
  readonly source: string;
}

const years = (n: number): RetentionPeriod => ({ years: n, months: 0, days: 0 });
const months = (n: number): RetentionPeriod => ({ years: 0, months: n, days: 0 });

export const FRAMEWORK_RETENTION: Readonly<Record<Framework, FrameworkRetention>> = {
  soc2: {
    framework: 'soc2',
    title: 'SOC 2',
    period: years(1),
    source: 'AICPA Trust Services Criteria set no period; keep at least the Type II review period plus the audit (common practice: 1 year)',
  },
  iso27001: {
    framework: 'iso27001',
    title: 'ISO/IEC 27001:2022',
    period: years(3),
    source:
      'ISO/IEC 27001:2022 7.5.3 and A.5.33 leave it to the organization; 3 years covers one three-year certification cycle (ISO/IEC 17021-1)',
  },
  hipaa: {
    framework: 'hipaa',
    title: 'HIPAA Security Rule',
    period: years(6),
    floor: years(6),
    source: '45 CFR 164.316(b)(2)(i): retain for 6 years from the date of creation or the date when last in effect',
  },
  'eu-ai-act': {
    framework: 'eu-ai-act',
    title: 'EU AI Act',
    period: months(6),
    floor: months(6),
    source: 'Regulation (EU) 2024/1689 Art. 19(1) (providers) and Art. 26(6) (deployers): logs kept at least six months',
  },
};

/** What archives written without a policy get: one year (SOC 2), which also covers the EU AI Act floor. */
export const DEFAULT_RETENTION_POLICY = 'soc2';

/** A parsed policy: the frameworks it serves, each with its period; objects keep the longest. */
export interface RetentionPolicy {
  readonly frameworks: readonly { readonly framework: Framework; readonly period: RetentionPeriod }[];
  /** Extra fixed period with no framework (`400d`), if given. */
  readonly minimum?: RetentionPeriod;
}

// Parses `LEDGER_ARCHIVE_RETENTION`: a comma-separated list of frameworks, each optionally
// with its own period (`eu-ai-act=2y`), and/or bare periods (`400d`). Periods are `<n>y`,
// `<n>m` (months) or `<n>d`. Examples: `hipaa`, `soc2,eu-ai-act=1y`, `iso27001,7y`.
export function parseRetentionPolicy(text: string): RetentionPolicy {
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.length === 0) throw invalidPolicy(text, 'it names no framework or period');
  const frameworks: { framework: Framework; period: RetentionPeriod }[] = [];
  let minimum: RetentionPeriod | undefined;
  for (const item of items) {
    const [name, value, extra] = item.split('=');
    if (extra !== undefined) throw invalidPolicy(text, `"${item}" has more than one '='`);
    const period = value === undefined ? undefined : parsePeriod(value, text);
    if (value === undefined && /^\d/.test(name)) {
      const bare = parsePeriod(name, text);
      minimum = minimum === undefined || longer(bare, minimum) ? bare : minimum;
      continue;
    }
    if (!isFramework(name)) {
      throw invalidPolicy(
        text,
        `"${name}" is not a framework (${Object.keys(FRAMEWORK_RETENTION).join(', ')}) or a period like 6y, 18m, 400d`,
      );
    }
    const rules = FRAMEWORK_RETENTION[name];
    if (period && rules.floor && longer(rules.floor, period)) {
      throw invalidPolicy(text, `${rules.title} requires at least ${formatPeriod(rules.floor)} (${rules.source}); ${value} is shorter`);
    }
    frameworks.push({ framework: name, period: period ?? rules.period });
  }
  return { frameworks, minimum };
}

// The retain-until date for an object archived at `archivedAt`: the longest period the policy
// asks for, added in UTC calendar terms.
export function retainUntil(policy: RetentionPolicy, archivedAt: Date): Date {
  const periods = [...policy.frameworks.map((f) => f.period), ...(policy.minimum ? [policy.minimum] : [])];
  let until = archivedAt;
  for (const period of periods) {
    const candidate = addPeriod(archivedAt, period);
    if (candidate.getTime() > until.getTime()) until = candidate;
  }
  return until;
}

// A put's retain-until date: valid and in the future, or nothing is written.
export function assertRetention(key: string, retainUntil: Date, now: Date): void {
  if (!(retainUntil instanceof Date) || Number.isNaN(retainUntil.getTime()) || retainUntil.getTime() <= now.getTime()) {
    throw new ArchiveError('RETENTION_INVALID', `${key}: the retain-until date must be a valid date in the future`, { details: { key } });
  }
}

export function addPeriod(from: Date, period: RetentionPeriod): Date {
  const d = new Date(from.getTime());
  d.setUTCFullYear(d.getUTCFullYear() + period.years, d.getUTCMonth() + period.months, d.getUTCDate() + period.days);
  return d;
}

export function formatPeriod(p: RetentionPeriod): string {
  const parts = [
    p.years ? `${p.years} year${p.years === 1 ? '' : 's'}` : '',
    p.months ? `${p.months} month${p.months === 1 ? '' : 's'}` : '',
    p.days ? `${p.days} day${p.days === 1 ? '' : 's'}` : '',
  ].filter(Boolean);
  return parts.length ? parts.join(' ') : '0 days';
}

export function describePolicy(policy: RetentionPolicy): string {
  const parts = policy.frameworks.map((f) => `${FRAMEWORK_RETENTION[f.framework].title} ${formatPeriod(f.period)}`);
  if (policy.minimum) parts.push(`at least ${formatPeriod(policy.minimum)}`);
  return parts.join(', ');
}

const PERIOD = /^([1-9]\d{0,3})([ymd])$/;

function parsePeriod(text: string, policy: string): RetentionPeriod {
  const m = PERIOD.exec(text);
  if (!m) throw invalidPolicy(policy, `"${text}" is not a period: use <n>y, <n>m (months) or <n>d, e.g. 6y, 18m, 400d`);
  const n = Number(m[1]);
  if (m[2] === 'y') return years(n);
  if (m[2] === 'm') return months(n);
  return { years: 0, months: 0, days: n };
}

// Compared on a fixed date: exact for the floors here (whole years and months).
function longer(a: RetentionPeriod, b: RetentionPeriod): boolean {
  const base = new Date(Date.UTC(2000, 0, 1));
  return addPeriod(base, a).getTime() > addPeriod(base, b).getTime();
}

function isFramework(name: string): name is Framework {
  return Object.prototype.hasOwnProperty.call(FRAMEWORK_RETENTION, name);
}

function invalidPolicy(text: string, reason: string): ArchiveError {
  return new ArchiveError('RETENTION_INVALID', `retention policy "${text}" is not valid: ${reason}`, { details: { policy: text } });
}
