import {
  AppendToStreamOptions,
  EventData,
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError,
} from '@kurrent/kurrentdb-client';
import { GENESIS_CHAIN_HASH } from '@evidence-ledger/core';
import { LogHead } from '../ledger-store';
import { RowFactory, uuidFor } from '../testing/entry-rows';
import { EntryReader } from './entry-reader';
import { EventIdIndex } from './event-id-index';
import { HeadMovedError, KurrentDbAppendSession } from './kurrentdb-append-session';
import { KurrentDbConnection } from './kurrentdb-connection';
import { translateKurrentDbError } from './kurrentdb-errors';

// A session over a connection that records appends and answers them with `reply`. Reads find
// no stream: only the head passed in, and the ids of the entries before it, matter.
function sessionAt(head: LogHead, reply: () => Promise<{ success: boolean }> = async () => ({ success: true })) {
  const appends: { stream: string; events: EventData[]; options?: AppendToStreamOptions }[] = [];
  const connection: KurrentDbConnection = {
    appendToStream: async (stream, events, options) => {
      appends.push({ stream, events, options });
      return { ...(await reply()), nextExpectedRevision: 0n };
    },
    readStream: (stream) => ({
      [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new StreamNotFoundError(undefined, stream)) }),
    }),
    subscribeToStream: () => {
      throw new Error('not used');
    },
    dispose: async () => undefined,
  };
  const translate = (e: unknown, doing: string) => translateKurrentDbError(e, { doing, location: 'kurrentdb://test' });
  const reader = new EntryReader(connection, translate);
  const session = new KurrentDbAppendSession(head, {
    stream: 'ledger-acme',
    connection,
    reader,
    ids: new EventIdIndex(),
    // The log before the head: entry n has the id RowFactory gives it.
    idSource: async function* (from, to) {
      for (let sequence = from; sequence < to; sequence++) yield { sequence, id: uuidFor('acme', sequence) };
    },
    translate,
  });
  return { session, appends };
}

const empty: LogHead = { treeSize: 0, chainHash: GENESIS_CHAIN_HASH };

describe('KurrentDB append session', () => {
  it('expects no stream when it continues an empty log', async () => {
    const f = new RowFactory();
    const { session, appends } = sessionAt(empty);
    await session.append(f.rows(3), f.checkpoint(), f.head);
    await session.commit();
    expect(appends).toHaveLength(1);
    expect(appends[0].options).toEqual({ streamState: 'no_stream' });
  });

  it('expects the revision of the head it read, n - 1, when it continues a log of n entries', async () => {
    const f = new RowFactory();
    f.rows(7);
    const { session, appends } = sessionAt(f.head);
    await session.append(f.rows(2), f.checkpoint(), f.head);
    await session.commit();
    expect(appends[0].options).toEqual({ streamState: 6n });
  });

  it('sends the whole batch in one append, the checkpoint on its last event only', async () => {
    const f = new RowFactory();
    const { session, appends } = sessionAt(empty);
    await session.append(f.rows(3), f.checkpoint(), f.head);
    await session.commit();
    expect(appends[0].stream).toBe('ledger-acme');
    expect(appends[0].events.map((e) => (e.metadata as Record<string, string>).checkpointTreeSize)).toEqual([undefined, undefined, '3']);
  });

  it('reports a stream that moved on as HeadMovedError, a STORE_CONFLICT the store retries', async () => {
    const f = new RowFactory();
    const wrong = new WrongExpectedVersionError(undefined, { streamName: 'ledger-acme', expected: 'no_stream', current: 4n });
    const { session } = sessionAt(empty, () => Promise.reject(wrong));
    await session.append(f.rows(1), f.checkpoint(), f.head);
    const error = await session.commit().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HeadMovedError);
    expect(error).toMatchObject({ code: 'STORE_CONFLICT', name: 'StoreError', cause: wrong, details: { treeSize: 0 } });
  });

  it('takes a refused append reported as a result (throwOnAppendFailure=false) for the same conflict', async () => {
    const f = new RowFactory();
    const { session } = sessionAt(empty, async () => ({ success: false }));
    await session.append(f.rows(1), f.checkpoint(), f.head);
    await expect(session.commit()).rejects.toBeInstanceOf(HeadMovedError);
  });

  it('translates any other failure of the append', async () => {
    const f = new RowFactory();
    const { session } = sessionAt(empty, () => Promise.reject(new UnavailableError()));
    await session.append(f.rows(1), f.checkpoint(), f.head);
    const error = await session.commit().catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(HeadMovedError);
    expect(error).toMatchObject({ code: 'STORE_UNAVAILABLE' });
  });

  it('sends nothing when nothing was appended', async () => {
    const { session, appends } = sessionAt(empty);
    expect(await session.findByIds([uuidFor('acme', 0)])).toEqual([]);
    await session.commit();
    expect(appends).toEqual([]);
  });

  it('refuses rows that do not continue its head, or repeat an event id, before anything is sent', async () => {
    const f = new RowFactory();
    f.rows(2);
    const { session, appends } = sessionAt(empty);
    await expect(session.append(f.rows(1), f.checkpoint(), f.head)).rejects.toMatchObject({ code: 'STORE_CONFLICT' });
    const g = new RowFactory();
    const twice = g.rows(2, { id: () => uuidFor('acme', 9) });
    await expect(session.append(twice, g.checkpoint(), g.head)).rejects.toMatchObject({
      code: 'STORE_CONFLICT',
      details: { id: uuidFor('acme', 9) },
    });
    await session.commit();
    expect(appends).toEqual([]);
  });

  it('answers with its own head and its own rows once they are appended, before the commit', async () => {
    const f = new RowFactory();
    const { session } = sessionAt(empty);
    const rows = f.rows(2);
    await session.append(rows, f.checkpoint(), f.head);
    expect((await session.head()).treeSize).toBe(2);
    expect((await session.findByIds([rows[1].id])).map((e) => e.sequence)).toEqual([1]);
  });
});
