import { uuidv7 } from '@evidence-ledger/core';
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SpoolError } from './errors';
import { outgoingEvent, OutgoingEvent } from './ledger-event';
import { Spool, SPOOL_FILE } from './spool';
import { LOCK_FILE } from './spool-lock';

const event = (n: number): OutgoingEvent =>
  outgoingEvent({ specversion: '1.0', id: uuidv7(), source: 'urn:test:spool', type: 'x.test.spooled', data: { n } });

describe('Spool', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'sdk-spool-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const file = () => join(dir, SPOOL_FILE);

  it('gives back, after a reopen, exactly the events not yet delivered, in recording order', async () => {
    const { spool } = Spool.open(dir);
    const events = [event(1), event(2), event(3), event(4)];
    for (const e of events) await spool.append(e);
    await spool.markDelivered([events[0].id, events[2].id]);
    await spool.close();

    const { spool: reopened, recovery } = Spool.open(dir);
    expect(recovery.events.map((e) => e.id)).toEqual([events[1].id, events[3].id]);
    expect(recovery.events[0].json).toBe(events[1].json);
    expect(recovery.tornTailBytes).toBe(0);
    await reopened.close();
  });

  it('does not give back events the ledger refused for good', async () => {
    const { spool } = Spool.open(dir);
    const refused = event(1);
    await spool.append(refused);
    await spool.markRejected([refused.id]);
    await spool.append(event(2));
    await spool.close();

    const { spool: reopened, recovery } = Spool.open(dir);
    expect(recovery.events.map((e) => e.id)).not.toContain(refused.id);
    expect(recovery.events).toHaveLength(1);
    await reopened.close();
  });

  it('cuts off a line torn by a crash mid-write, keeps everything before it, and appends cleanly after', async () => {
    const { spool } = Spool.open(dir);
    const kept = event(1);
    await spool.append(kept);
    await spool.close();
    const torn = `{"event":${event(2).json}}`;
    appendFileSync(file(), torn.slice(0, torn.length - 17));

    const { spool: reopened, recovery } = Spool.open(dir);
    expect(recovery.events.map((e) => e.id)).toEqual([kept.id]);
    expect(recovery.tornTailBytes).toBe(torn.length - 17);
    const after = event(3);
    await reopened.append(after);
    await reopened.close();

    const { spool: third, recovery: again } = Spool.open(dir);
    expect(again.events.map((e) => e.id)).toEqual([kept.id, after.id]);
    expect(again.tornTailBytes).toBe(0);
    expect(again.skippedLines).toBe(0);
    await third.close();
  });

  it('treats zeroes left at the end of the file by a power loss as a torn tail', async () => {
    const { spool } = Spool.open(dir);
    const kept = event(1);
    await spool.append(kept);
    await spool.close();
    appendFileSync(file(), Buffer.alloc(4096));

    const { spool: reopened, recovery } = Spool.open(dir);
    expect(recovery.events.map((e) => e.id)).toEqual([kept.id]);
    expect(recovery.tornTailBytes).toBe(4096);
    await reopened.close();
  });

  it('skips a damaged line in the middle and keeps the events around it', async () => {
    const a = event(1);
    const b = event(2);
    writeFileSync(file(), `{"event":${a.json}}\n{"event":{"id":"garbled\n{"event":${b.json}}\n`);

    const { spool, recovery } = Spool.open(dir);
    expect(recovery.events.map((e) => e.id)).toEqual([a.id, b.id]);
    expect(recovery.skippedLines).toBe(1);
    await spool.close();
  });

  it('empties the file once every event is delivered', async () => {
    const { spool } = Spool.open(dir);
    const events = [event(1), event(2)];
    await Promise.all(events.map((e) => spool.append(e)));
    expect(statSync(file()).size).toBeGreaterThan(0);
    await spool.markDelivered(events.map((e) => e.id));
    await spool.close();

    expect(statSync(file()).size).toBe(0);
  });

  it('starts from an empty file when everything in it was delivered', async () => {
    const e = event(1);
    writeFileSync(file(), `{"event":${e.json}}\n{"delivered":["${e.id}"]}\n`);

    const { spool, recovery } = Spool.open(dir);
    expect(recovery.events).toEqual([]);
    expect(statSync(file()).size).toBe(0);
    await spool.close();
  });

  it('rewrites a large, mostly delivered file with only the outstanding events', async () => {
    const { spool } = Spool.open(dir, { compactAtBytes: 4096 });
    const events = Array.from({ length: 40 }, (_, i) => event(i));
    for (const e of events) await spool.append(e);
    await spool.markDelivered(events.slice(0, 39).map((e) => e.id));
    await spool.close();

    const text = readFileSync(file(), 'utf8');
    expect(text).toBe(`{"event":${events[39].json}}\n`);
  });

  it('keeps undelivered events readable by their owner only, before and after a rewrite', async () => {
    const umask = process.umask(0o022);
    try {
      const nested = join(dir, 'spool');
      const { spool } = Spool.open(nested, { compactAtBytes: 4096 });
      const events = Array.from({ length: 40 }, (_, i) => event(i));
      for (const e of events) await spool.append(e);
      expect(statSync(join(nested, SPOOL_FILE)).mode & 0o777).toBe(0o600);
      expect(statSync(nested).mode & 0o777).toBe(0o700);
      await spool.markDelivered(events.slice(0, 39).map((e) => e.id));
      await spool.close();
      expect(statSync(join(nested, SPOOL_FILE)).mode & 0o777).toBe(0o600);
    } finally {
      process.umask(umask);
    }
  });

  it('has every event appended together complete in the file once its append resolves', async () => {
    const { spool } = Spool.open(dir);
    const events = Array.from({ length: 50 }, (_, i) => event(i));
    await Promise.all(events.map((e) => spool.append(e)));

    const lines = readFileSync(file(), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(50);
    await spool.close();
  });

  it('refuses a second client on the same directory in this process', async () => {
    const { spool } = Spool.open(dir);
    expect(() => Spool.open(dir)).toThrow(expect.objectContaining({ code: 'SPOOL_LOCKED' }));
    await spool.close();
    const { spool: again } = Spool.open(dir);
    await again.close();
  });

  it('refuses a directory locked by another live process', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      writeFileSync(join(dir, LOCK_FILE), `${child.pid}\n`);
      expect(() => Spool.open(dir)).toThrow(SpoolError);
      expect(() => Spool.open(dir)).toThrow(new RegExp(`in use by process ${child.pid}`));
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('takes over the lock of a process that is gone', async () => {
    const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    await new Promise((resolve) => child.once('exit', resolve));
    writeFileSync(join(dir, LOCK_FILE), `${child.pid}\n`);

    const { spool } = Spool.open(dir);
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).toBe(`${process.pid}\n`);
    await spool.close();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });
});
