import { ConsoleLogger, Logger } from '@nestjs/common';
import { Writable } from 'node:stream';
import { StoreError } from '@evidence-ledger/store';
import { createLedgerLogger, NestPinoLogger } from './ledger-logger';

// Log lines as the service writes them: JSON, one per call.
function capture(): { lines: () => Record<string, unknown>[]; stream: Writable } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  return {
    stream,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('the service logger behind Nest', () => {
  it('writes an object of fields with its message, and the error with code, stack and cause chain', () => {
    const out = capture();
    const nest = new NestPinoLogger(createLedgerLogger('info', out.stream));
    const driver = Object.assign(new Error('relation "entries" does not exist'), { code: '42P01' });
    const error = new StoreError('STORE_UNAVAILABLE', 'appending to acme failed', { cause: driver });
    // A service's `new Logger('packs').error({ id, err }, message)`, as Nest passes it on.
    Logger.overrideLogger(nest);
    try {
      new Logger('packs').error({ id: 'job-1', err: error }, 'building an evidence pack failed');
    } finally {
      Logger.overrideLogger(new ConsoleLogger());
    }
    nest.error(error, undefined, 'ledger');
    nest.warn('no evidence templates found', 'packs');

    const [fields, thrown, warned] = out.lines();
    expect(fields).toMatchObject({ msg: 'building an evidence pack failed', context: 'packs', id: 'job-1' });
    expect(fields.err).toMatchObject({
      type: 'StoreError',
      code: 'STORE_UNAVAILABLE',
      message: 'appending to acme failed',
      cause: { type: 'Error', code: '42P01', message: 'relation "entries" does not exist' },
    });
    expect((fields.err as { stack: string }).stack).toContain('at ');
    expect(thrown).toMatchObject({ msg: 'appending to acme failed', context: 'ledger', err: { code: 'STORE_UNAVAILABLE' } });
    expect(warned).toMatchObject({ msg: 'no evidence templates found', context: 'packs', level: 40 });
    for (const line of out.lines()) expect(line.msg).not.toBe('[object Object]');
  });
});
