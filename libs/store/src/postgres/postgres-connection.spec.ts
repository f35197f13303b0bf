import { parsePostgresUrl, quoteIdentifier, validateSchemaName } from './postgres-connection';

describe('PostgreSQL connection URL', () => {
  it('prints the location without the password', () => {
    const target = parsePostgresUrl('postgres://ledger:hunter2@db.internal:5433/ledger?sslmode=require');
    expect(target.location).toBe('postgres://ledger@db.internal:5433/ledger?sslmode=require');
    expect(target.password).toBe('hunter2');
    expect(target.connectionString).toContain('hunter2');
  });

  it('also hides a password passed as a query parameter', () => {
    const target = parsePostgresUrl('postgres://ledger@db/ledger?password=hunter2');
    expect(target.location).not.toContain('hunter2');
    expect(target.password).toBe('hunter2');
  });

  it('takes the schema from the URL and strips it before pg sees it', () => {
    const target = parsePostgresUrl('postgres://ledger@db/ledger?schema=tenant_a&sslmode=disable');
    expect(target.schema).toBe('tenant_a');
    expect(target.connectionString).toBe('postgres://ledger@db/ledger?sslmode=disable');
    expect(target.location).toContain('schema=tenant_a');
  });

  it('lets the schema option win over the URL', () => {
    expect(parsePostgresUrl('postgres://db/ledger?schema=from_url', 'from_option').schema).toBe('from_option');
  });

  it('refuses a malformed URL without echoing it', () => {
    expect(() => parsePostgresUrl('not a url with s3cret')).toThrow(RangeError);
    expect(() => parsePostgresUrl('not a url with s3cret')).not.toThrow(/s3cret/);
    expect(() => parsePostgresUrl('mysql://db/ledger')).toThrow(RangeError);
  });
});

describe('PostgreSQL schema names', () => {
  it.each(['ledger', '_private', 't_0a1b2c', 'a'.repeat(63)])('accepts %j', (name) => {
    expect(validateSchemaName(name)).toBe(name);
  });

  it.each(['x; drop table entries', 'Ledger', 'a"b', 'pg_toast', '9lives', '', 'a'.repeat(64), 'a b', 'ünï'])('refuses %j', (name) => {
    expect(() => validateSchemaName(name)).toThrow(RangeError);
  });

  it('quotes identifiers, doubling embedded quotes', () => {
    expect(quoteIdentifier('ledger')).toBe('"ledger"');
    expect(quoteIdentifier('a"b')).toBe('"a""b"');
  });
});
