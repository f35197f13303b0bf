import { ArchiveError } from './archive-error';
import { DEFAULT_RETENTION_POLICY, describePolicy, FRAMEWORK_RETENTION, parseRetentionPolicy, retainUntil } from './retention';

const at = new Date('2026-03-15T10:00:00.000Z');
const until = (policy: string) => retainUntil(parseRetentionPolicy(policy), at).toISOString();

describe('retention per framework', () => {
  it('keeps HIPAA evidence six years (45 CFR 164.316(b)(2)(i))', () => {
    expect(until('hipaa')).toBe('2032-03-15T10:00:00.000Z');
  });

  it('keeps EU AI Act logs at least six months (Art. 19(1), 26(6))', () => {
    expect(until('eu-ai-act')).toBe('2026-09-15T10:00:00.000Z');
  });

  it('keeps SOC 2 evidence one year and ISO/IEC 27001 evidence three years by default', () => {
    expect(until('soc2')).toBe('2027-03-15T10:00:00.000Z');
    expect(until('iso27001')).toBe('2029-03-15T10:00:00.000Z');
  });

  it('defaults to one year, which also covers the EU AI Act floor', () => {
    expect(until(DEFAULT_RETENTION_POLICY)).toBe('2027-03-15T10:00:00.000Z');
  });

  it('keeps an object serving several frameworks for the longest of their periods', () => {
    expect(until('soc2, eu-ai-act ,hipaa')).toBe('2032-03-15T10:00:00.000Z');
    expect(until('soc2,400d')).toBe('2027-04-19T10:00:00.000Z');
  });

  it('lets a policy lengthen a period, e.g. the EU AI Act to two years', () => {
    expect(until('eu-ai-act=2y')).toBe('2028-03-15T10:00:00.000Z');
    expect(until('soc2=18m')).toBe('2027-09-15T10:00:00.000Z');
  });

  it('refuses a period below a framework floor, citing the rule', () => {
    expect(() => parseRetentionPolicy('hipaa=5y')).toThrow(/HIPAA Security Rule requires at least 6 years \(45 CFR 164\.316/);
    expect(() => parseRetentionPolicy('eu-ai-act=90d')).toThrow(/EU AI Act requires at least 6 months/);
  });

  it.each([
    ['', /names no framework or period/],
    ['pci', /"pci" is not a framework/],
    ['soc2=1w', /"1w" is not a period/],
    ['soc2=0y', /"0y" is not a period/],
    ['hipaa=6y=7y', /more than one '='/],
    ['-1y', /"-1y" is not a framework/],
  ])('refuses the policy %j', (policy, message) => {
    expect(() => parseRetentionPolicy(policy)).toThrow(ArchiveError);
    expect(() => parseRetentionPolicy(policy)).toThrow(message);
  });

  it('adds calendar periods in UTC without ever shortening them', () => {
    expect(retainUntil(parseRetentionPolicy('1y'), new Date('2028-02-29T00:00:00Z')).toISOString()).toBe('2029-03-01T00:00:00.000Z');
    expect(retainUntil(parseRetentionPolicy('1m'), new Date('2026-01-31T00:00:00Z')).toISOString()).toBe('2026-03-03T00:00:00.000Z');
  });

  it('names its sources and describes a policy for people', () => {
    for (const rules of Object.values(FRAMEWORK_RETENTION)) expect(rules.source.length).toBeGreaterThan(20);
    expect(describePolicy(parseRetentionPolicy('hipaa,eu-ai-act=1y,30d'))).toBe(
      'HIPAA Security Rule 6 years, EU AI Act 1 year, at least 30 days',
    );
  });
});
