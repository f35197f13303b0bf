import { isKurrentDbLocation, parseKurrentDbLocation, redact } from './kurrentdb-location';

describe('KurrentDB store locations', () => {
  it.each(['kurrentdb://h', 'kurrentdb+discover://h', 'kurrent://h', 'kdb://h', 'kdb+discover://h', 'esdb://h', ' esdb+discover://h'])(
    'recognizes %s as KurrentDB',
    (location) => expect(isKurrentDbLocation(location)).toBe(true),
  );

  it.each(['postgres://h/db', 'sqlite:./x.db', 'ledger.db', 'http://h:2113', 'KURRENTDB://h'])(
    'does not take %s for KurrentDB',
    (location) => {
      expect(isKurrentDbLocation(location)).toBe(false);
    },
  );

  it("hands the client its own options and keeps the ledger's", () => {
    const target = parseKurrentDbLocation(
      'kurrentdb://admin:changeit@db1:2113,db2:2113?tls=false&credentialStore=sqlite:/data/c.db&nodePreference=leader',
    );
    expect(target.connectionString).toBe('kurrentdb://admin:changeit@db1:2113,db2:2113?tls=false&nodePreference=leader');
    expect(target.credentialStore).toBe('sqlite:/data/c.db');
    expect(target.streamPrefix).toBe('ledger');
    expect(target.password).toBe('changeit');
  });

  it('accepts the credential store URL-encoded or plain, even with its own query', () => {
    const encoded = parseKurrentDbLocation(`kdb://h?credentialStore=${encodeURIComponent('postgres://u:p@pg:5432/db?schema=a&x=y')}`);
    expect(encoded.credentialStore).toBe('postgres://u:p@pg:5432/db?schema=a&x=y');
    expect(encoded.connectionString).toBe('kdb://h');
    expect(parseKurrentDbLocation('kdb://h?credential_store=postgres://u@pg/db?schema=a').credentialStore).toBe(
      'postgres://u@pg/db?schema=a',
    );
  });

  it('spells the deprecated esdb scheme as kurrentdb for the client', () => {
    expect(parseKurrentDbLocation('esdb+discover://h?credentialStore=sqlite:c.db').connectionString).toBe('kurrentdb+discover://h');
  });

  it('takes the stream prefix from the location', () => {
    expect(parseKurrentDbLocation('kurrentdb://h?StreamPrefix=staging&credentialStore=sqlite:c.db').streamPrefix).toBe('staging');
  });

  it('names the location without any password, its credential store included', () => {
    const target = parseKurrentDbLocation('kurrentdb://admin:changeit@h:2113?tls=false&credentialStore=postgres://ledger:s3cret@pg/ledger');
    expect(target.location).toBe('kurrentdb://admin:***@h:2113?tls=false&credentialStore=postgres://ledger:***@pg/ledger');
    expect(redact('kurrentdb://h')).toBe('kurrentdb://h');
  });

  it.each([
    ['no credential store', 'kurrentdb://h:2113?tls=false', /credentialStore=/],
    ['a credential store in KurrentDB', 'kurrentdb://h?credentialStore=kurrentdb://other', /SQLite or PostgreSQL/],
    ['the credential store twice', 'kurrentdb://h?credentialStore=sqlite:a.db&credentialStore=sqlite:b.db', /twice/],
    ['a stream prefix that could name a system stream', 'kurrentdb://h?streamPrefix=$all&credentialStore=sqlite:c.db', /stream prefix/],
    ['a value that is not URL-encoded', 'kurrentdb://h?credentialStore=%E0%A4%A', /URL-encoded/],
    ['another scheme', 'postgres://h/db', /kurrentdb:\/\//],
  ])('refuses %s before connecting', (_what, location, message) => {
    expect(() => parseKurrentDbLocation(location)).toThrow(RangeError);
    expect(() => parseKurrentDbLocation(location)).toThrow(message);
  });
});
