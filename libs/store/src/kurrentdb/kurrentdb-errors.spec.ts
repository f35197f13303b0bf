import {
  AccessDeniedError,
  CancelledError,
  DeadlineExceededError,
  MaxAppendSizeExceededError,
  StreamDeletedError,
  StreamNotFoundError,
  UnavailableError,
  UnknownError,
  WrongExpectedVersionError,
} from '@kurrent/kurrentdb-client';
import { StoreError } from '../store-error';
import { isStreamNotFound, isWrongExpectedVersion, translateKurrentDbError } from './kurrentdb-errors';

const context = {
  doing: 'appending to acme',
  location: 'kurrentdb://admin:***@db:2113?credentialStore=sqlite:/data/c.db',
  password: 'hunter2',
};
const conflict = () => new WrongExpectedVersionError(undefined, { streamName: 'ledger-acme', expected: 4n, current: 6n });

describe('KurrentDB error translation', () => {
  it.each([
    ['an unreachable server', new UnavailableError()],
    ['a deadline passed', new DeadlineExceededError()],
    ['a cancelled call', new CancelledError()],
    ['an error the client could not classify', new UnknownError()],
    ['a plain error', new Error('socket hang up')],
  ])('reports %s as STORE_UNAVAILABLE', (_what, error) => {
    expect(translateKurrentDbError(error, context).code).toBe('STORE_UNAVAILABLE');
  });

  it('reports an append that expected another revision as STORE_CONFLICT', () => {
    const error = translateKurrentDbError(conflict(), context);
    expect(error).toMatchObject({ code: 'STORE_CONFLICT', details: { kurrentdb: 'wrong-expected-version' } });
    expect(error.message).toContain('another writer appended to the log first');
  });

  it('reports refused access as unavailable, saying what to check', () => {
    const error = translateKurrentDbError(new AccessDeniedError(), context);
    expect(error.code).toBe('STORE_UNAVAILABLE');
    expect(error.message).toMatch(/access denied — check the user in the connection string and the ACLs/);
  });

  it('names the server setting to raise when a batch is over its append size limit', () => {
    const error = translateKurrentDbError(MaxAppendSizeExceededError.fromMaxAppendSize(1_048_576), context);
    expect(error.code).toBe('STORE_UNAVAILABLE');
    expect(error.message).toContain('1048576 bytes');
    expect(error.message).toContain('KURRENTDB_MAX_APPEND_SIZE');
  });

  it('reports a deleted log stream as STORE_CORRUPT', () => {
    expect(translateKurrentDbError(StreamDeletedError.fromStreamName('ledger-acme'), context).code).toBe('STORE_CORRUPT');
  });

  it('says what was being done and where, keeps the client error as cause, and passes store errors through', () => {
    const driver = new UnavailableError(undefined, 'failed to connect');
    const error = translateKurrentDbError(driver, context);
    expect(error).toBeInstanceOf(StoreError);
    expect(error.cause).toBe(driver);
    expect(error.message).toBe(`KurrentDB at ${context.location}: appending to acme failed: failed to connect`);
    const original = new StoreError('STORE_CORRUPT', 'missing node');
    expect(translateKurrentDbError(original, context)).toBe(original);
  });

  it('never repeats the password', () => {
    const error = translateKurrentDbError(new Error('login admin:hunter2 refused'), context);
    expect(error.message).not.toContain('hunter2');
  });

  it('tells a lost race and a log never written from other failures', () => {
    expect(isWrongExpectedVersion(conflict())).toBe(true);
    expect(isWrongExpectedVersion(new UnavailableError())).toBe(false);
    expect(isStreamNotFound(new StreamNotFoundError(undefined, 'ledger-acme'))).toBe(true);
    expect(isStreamNotFound(new Error('stream-not-found'))).toBe(false);
    expect(isStreamNotFound(undefined)).toBe(false);
  });
});
