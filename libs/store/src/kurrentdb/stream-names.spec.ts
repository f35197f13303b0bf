import { DEFAULT_STREAM_PREFIX, isTenantName, StreamNames } from './stream-names';

describe('KurrentDB stream names', () => {
  const names = new StreamNames();

  it('keeps each tenant log in <prefix>-<tenant> and the tenant list in <prefix>.tenants', () => {
    expect(DEFAULT_STREAM_PREFIX).toBe('ledger');
    expect(names.entries('acme')).toBe('ledger-acme');
    expect(names.entries('acme-eu-1')).toBe('ledger-acme-eu-1');
    expect(names.tenantRegistry).toBe('ledger.tenants');
    expect(new StreamNames('staging_2').entries('acme')).toBe('staging_2-acme');
  });

  it.each(['', 'Acme', 'a.b', 'a_b', '-acme', 'acme-', '$all', '$et-x', 'a/b', 'ü', 'x'.repeat(64)])(
    'refuses %j as a tenant, so no stream name outside the ledger can be built from it',
    (tenant) => {
      expect(isTenantName(tenant)).toBe(false);
      expect(() => names.entries(tenant)).toThrow(RangeError);
    },
  );

  it('never names a log stream that is the registry or a system stream', () => {
    for (const tenant of ['tenants', 'a', '0', 'x'.repeat(63)]) {
      const stream = names.entries(tenant);
      expect(stream).not.toBe(names.tenantRegistry);
      expect(stream.startsWith('$')).toBe(false);
    }
  });

  it.each(['', '$ledger', 'Ledger', 'led-ger', '1ledger', 'ledger.x', 'a'.repeat(33)])('refuses %j as a stream prefix', (prefix) => {
    expect(() => new StreamNames(prefix)).toThrow(RangeError);
  });
});
