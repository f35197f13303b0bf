import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseVerifierKey, verifyLogStream } from '@evidence-ledger/core';
import { LocalKeySigner } from '@evidence-ledger/signing';
import { LedgerStore } from '@evidence-ledger/store';
import { Ledger } from '@evidence-ledger/ledger';
import { postgresHandle, StoreHandle, STORES } from '../libs/ledger/src/testing/ledger-fixture';

const APPENDER = join(__dirname, 'fixtures', 'append-loop.js');

interface Producer {
  child: ChildProcess;
  acks: Map<string, number>;
  exited: Promise<number | null>;
}

// Starts a producer process; `acks` fills with every event it saw acknowledged.
function startProducer(location: string, keyFile: string, concurrency: number, perAppender: number): Producer {
  const child = spawn(process.execPath, [APPENDER, location, 'acme', keyFile, String(concurrency), String(perAppender)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const acks = new Map<string, number>();
  let buffered = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      const [, id, sequence] = line.split(' ');
      acks.set(id, Number(sequence));
    }
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code, signal) => {
      if (code !== 0 && signal !== 'SIGKILL') process.stderr.write(`producer exited ${code}: ${stderr}`);
      resolve(code);
    }),
  );
  return { child, acks, exited };
}

async function waitFor(condition: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function verify(store: LedgerStore, signer: LocalKeySigner) {
  return verifyLogStream(store.readEntries('acme', 0), store.readCheckpoints('acme'), {
    trusted: [parseVerifierKey(signer.verifierKey())],
    tenant: 'acme',
  });
}

describe.each(STORES)('durability on %s', (_name, makeHandle) => {
  let handle: StoreHandle;
  let dir: string;
  let keyFile: string;
  let signer: LocalKeySigner;

  beforeEach(async () => {
    handle = makeHandle();
    dir = mkdtempSync(join(tmpdir(), 'ledger-keys-'));
    keyFile = join(dir, 'ledger.key');
    signer = await LocalKeySigner.loadOrCreate(keyFile, 'ledger.test');
    (await handle.open()).close();
  });
  afterEach(async () => {
    await handle.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loses no acknowledged event when the appending process is killed with SIGKILL, and the chain continues', async () => {
    const producer = startProducer(handle.location, keyFile, 8, 0);
    await waitFor(() => producer.acks.size >= 300);
    producer.child.kill('SIGKILL');
    await producer.exited;
    const acknowledged = new Map(producer.acks);

    const store = await handle.open();
    try {
      const found = await store.findByIds('acme', [...acknowledged.keys()]);
      expect(found).toHaveLength(acknowledged.size);
      for (const entry of found) expect(entry.sequence).toBe(acknowledged.get(entry.id));
      const before = await verify(store, signer);
      expect(before).toMatchObject({ ok: true });
      expect(before.entries).toBeGreaterThanOrEqual(acknowledged.size);

      const ledger = new Ledger({ store, signer, originPrefix: 'ledger.test' });
      const [next] = await ledger.append('acme', 'after-restart', {
        specversion: '1.0',
        id: '01930000-0000-7000-8000-000000000001',
        source: 'urn:test',
        type: 'x.test.appended',
      });
      await ledger.close();
      expect(next.receipt.sequence).toBe(before.entries);
      expect(await verify(store, signer)).toMatchObject({ ok: true, entries: before.entries + 1 });
    } finally {
      await store.close();
    }
  });
});

describe('two processes appending to one PostgreSQL database', () => {
  it('produce one linear chain with every acknowledged event in it', async () => {
    const handle = postgresHandle();
    const dir = mkdtempSync(join(tmpdir(), 'ledger-keys-'));
    const keyFile = join(dir, 'ledger.key');
    const signer = await LocalKeySigner.loadOrCreate(keyFile, 'ledger.test');
    (await handle.open()).close();
    try {
      const producers = [startProducer(handle.location, keyFile, 16, 40), startProducer(handle.location, keyFile, 16, 40)];
      expect(await Promise.all(producers.map((p) => p.exited))).toEqual([0, 0]);
      const store = await handle.open();
      try {
        const acks = producers.flatMap((p) => [...p.acks]);
        expect(acks).toHaveLength(2 * 16 * 40);
        const sequences = acks.map(([, s]) => s).sort((a, b) => a - b);
        expect(sequences).toEqual(Array.from({ length: 1280 }, (_, i) => i));
        expect(await verify(store, signer)).toMatchObject({ ok: true, entries: 1280 });
      } finally {
        await store.close();
      }
    } finally {
      await handle.cleanup();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
