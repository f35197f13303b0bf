import Database from 'better-sqlite3';
import { EventEnvelope, LedgerError, parseVerifierKey, verifyLogStream } from '@evidence-ledger/core';
import { LocalKeySigner } from '@evidence-ledger/signing';
import { LedgerStore } from '@evidence-ledger/store';
import { Ledger } from './ledger';
import { AppendedEvent } from './pending-append';
import { modelInvocation } from './testing/events';
import { postgresHandle, sqliteHandle, StoreHandle } from './testing/ledger-fixture';

const GOOD = 40;

// One store-refused event among many good ones of the same tenant, all queued together so the
// sequencer groups them into one transaction. Each store is given a value it really refuses
// below the envelope validation: PostgreSQL text cannot hold U+0000; the SQLite file gets a
// trigger that refuses one source.
const CASES: [string, () => StoreHandle, (handle: StoreHandle) => Promise<void>, (e: EventEnvelope) => EventEnvelope][] = [
  ['PostgreSQL (U+0000 in source)', postgresHandle, async () => undefined, (e) => ({ ...e, source: 'urn:acme:agent\u0000gateway' })],
  [
    'SQLite (a trigger refusing a source)',
    sqliteHandle,
    async (handle) => {
      const db = new Database(handle.location.slice('sqlite:'.length));
      db.exec(
        `CREATE TRIGGER refuse_poison BEFORE INSERT ON entries WHEN NEW.source = 'urn:poison' BEGIN SELECT RAISE(ABORT, 'poison'); END`,
      );
      db.close();
    },
    (e) => ({ ...e, source: 'urn:poison' }),
  ],
];

describe.each(CASES)('a group commit with one refused member on %s', (_name, makeHandle, arm, poison) => {
  let handle: StoreHandle;
  let store: LedgerStore;
  let ledger: Ledger;
  const signer = LocalKeySigner.generate('ledger.test');
  const groups: number[] = [];
  const failures: unknown[] = [];

  beforeEach(async () => {
    handle = makeHandle();
    store = await handle.open();
    await arm(handle);
    groups.length = 0;
    failures.length = 0;
    ledger = new Ledger({
      store,
      signer,
      originPrefix: 'ledger.test',
      onCommit: ({ requests }) => groups.push(requests),
      onCommitFailed: ({ error }) => failures.push(error),
    });
  });
  afterEach(async () => {
    await ledger.close();
    await store.close();
    await handle.cleanup();
  });

  // 1 event per request: the group is written with one INSERT; 10: with binary COPY (≥ 100 rows).
  it.each([1, 10])(
    'refuses only the request at fault (%i events per request); every concurrent good request commits, the chain linear and gap-free',
    async (size) => {
      const submit = (e: EventEnvelope[]): Promise<AppendedEvent[]> => ledger.appendEnvelopes('acme', 'agent-gateway', e);
      const request = () => Array.from({ length: size }, () => modelInvocation() as EventEnvelope);
      const good = Array.from({ length: GOOD }, request);
      const badRequest = request();
      const bad = poison(badRequest[size - 1]);
      badRequest[size - 1] = bad;
      const pending = [...good.slice(0, GOOD / 2).map(submit), submit(badRequest), ...good.slice(GOOD / 2).map(submit)];
      const outcomes = await Promise.allSettled(pending);

      const refused = outcomes.filter((o) => o.status === 'rejected');
      expect(refused).toHaveLength(1);
      expect(outcomes[GOOD / 2].status).toBe('rejected');
      const reason = (refused[0] as PromiseRejectedResult).reason as LedgerError;
      expect(reason).toBeInstanceOf(LedgerError);
      expect(reason.code).toBe('STORE_REJECTED');
      // The store's failure (and any driver text) is kept as the cause, not shown as the message.
      expect(reason.message).not.toMatch(/PostgreSQL|SQLite|poison|byte sequence/i);
      expect((reason.cause as LedgerError).code).toBe('STORE_REJECTED');
      // A refused value is not a failure of the store.
      expect(failures).toEqual([]);

      const sequences = outcomes
        .filter((o): o is PromiseFulfilledResult<AppendedEvent[]> => o.status === 'fulfilled')
        .flatMap((o) => o.value.map((a) => a.receipt.sequence))
        .sort((a, b) => a - b);
      expect(sequences).toEqual(Array.from({ length: GOOD * size }, (_, i) => i));
      // The bad request really shared a transaction with good ones before it was isolated.
      expect(Math.max(...groups)).toBeGreaterThan(1);

      const verified = await verifyLogStream(store.readEntries('acme', 0), store.readCheckpoints('acme'), {
        trusted: [parseVerifierKey(signer.verifierKey())],
        origin: 'ledger.test/acme',
        tenant: 'acme',
      });
      expect(verified).toMatchObject({ ok: true, entries: GOOD * size });
      // The request at fault is all-or-nothing: none of its events was written.
      expect(
        await store.findByIds(
          'acme',
          badRequest.map((e) => e.id),
        ),
      ).toEqual([]);

      // The log goes on after the refusal.
      const [next] = await submit([modelInvocation() as EventEnvelope]);
      expect(next.receipt.sequence).toBe(GOOD * size);
    },
  );
});
