import { StoreError } from '../store-error';
import { isConnectionFailure, translatePostgresError } from './postgres-errors';

const context = { doing: 'appending to acme', location: 'postgres://ledger@db/ledger', password: 'hunter2' };
const sqlError = (code: string, message = `failed with ${code}`) => Object.assign(new Error(message), { code });
const socketError = (code: string) => Object.assign(new Error(`connect ${code} 10.0.0.1:5432`), { code });

describe('PostgreSQL error translation', () => {
  it.each([
    ['connection refused', socketError('ECONNREFUSED')],
    ['a reset connection', socketError('ECONNRESET')],
    ['an unknown host', socketError('ENOTFOUND')],
    ['a dropped connection', new Error('Connection terminated unexpectedly')],
    ['a pool connect timeout', new Error('timeout exceeded when trying to connect')],
    ['an admin shutdown', sqlError('57P01')],
    ['a statement timeout', sqlError('57014')],
    ['a lock timeout', sqlError('55P03')],
    ['too many connections', sqlError('53300')],
    ['a rejected password', sqlError('28P01')],
    ['a missing database', sqlError('3D000')],
  ])('reports %s as STORE_UNAVAILABLE', (_what, error) => {
    expect(translatePostgresError(error, context).code).toBe('STORE_UNAVAILABLE');
  });

  it.each([
    ['a unique violation', '23505'],
    ['a serialization failure', '40001'],
    ['a deadlock', '40P01'],
  ])('reports %s as STORE_CONFLICT', (_what, code) => {
    expect(translatePostgresError(sqlError(code), context)).toMatchObject({ code: 'STORE_CONFLICT', details: { sqlstate: code } });
  });

  it.each([
    ['a NUL character in text', '22021'],
    ['a value too long', '22001'],
    ['a NOT NULL violation', '23502'],
    ['a CHECK violation', '23514'],
    ['an index row over the limit', '54000'],
  ])('reports %s, the fault of one value, as STORE_REJECTED', (_what, code) => {
    expect(translatePostgresError(sqlError(code), context)).toMatchObject({ code: 'STORE_REJECTED', details: { sqlstate: code } });
  });

  it('reports damaged data as STORE_CORRUPT', () => {
    expect(translatePostgresError(sqlError('XX001'), context).code).toBe('STORE_CORRUPT');
  });

  it('wraps anything else, keeping the driver error as cause', () => {
    const driver = sqlError('42P01', 'relation "entries" does not exist');
    const error = translatePostgresError(driver, context);
    expect(error).toBeInstanceOf(StoreError);
    expect(error.cause).toBe(driver);
    expect(error.message).toContain('relation "entries" does not exist');
    expect(error.message).toContain('appending to acme');
  });

  it('passes a StoreError through untouched', () => {
    const original = new StoreError('STORE_CORRUPT', 'missing node');
    expect(translatePostgresError(original, context)).toBe(original);
  });

  it('never repeats the password', () => {
    const error = translatePostgresError(new Error('password authentication failed for "hunter2"'), context);
    expect(error.message).not.toContain('hunter2');
  });

  it('tells connection failures, which retire the client, from statement failures', () => {
    expect(isConnectionFailure(socketError('ECONNRESET'))).toBe(true);
    expect(isConnectionFailure(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isConnectionFailure(sqlError('08006'))).toBe(true);
    expect(isConnectionFailure(sqlError('23505'))).toBe(false);
    expect(isConnectionFailure(new Error('abandon'))).toBe(false);
  });
});
