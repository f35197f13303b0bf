import { Batcher, BatcherOptions } from './batcher';
import { InvalidOptionsError } from './errors';

// A send function that records each batch and completes it when told to.
function recorder() {
  const batches: number[][] = [];
  const releases: (() => void)[] = [];
  let holding = false;
  let inFlight = 0;
  const most = { inFlight: 0 };
  return {
    batches,
    most,
    hold: () => (holding = true),
    releaseAll: () => {
      holding = false;
      releases.splice(0).forEach((r) => r());
    },
    send: (batch: number[]) => {
      batches.push(batch);
      if (!holding) return Promise.resolve();
      most.inFlight = Math.max(most.inFlight, ++inFlight);
      return new Promise<void>((resolve) => releases.push(() => (inFlight--, resolve())));
    },
  };
}

const options = (o: Partial<BatcherOptions> = {}): BatcherOptions => ({
  maxBatchSize: 5,
  maxBatchBytes: 1024 * 1024,
  flushIntervalMs: 3_600_000,
  maxConcurrentBatches: 4,
  ...o,
});

describe('Batcher', () => {
  it('sends a batch as soon as it holds maxBatchSize items', async () => {
    const r = recorder();
    const batcher = new Batcher<number>(options(), r.send);
    for (let i = 0; i < 12; i++) batcher.add(i, 10);

    expect(r.batches).toEqual([
      [0, 1, 2, 3, 4],
      [5, 6, 7, 8, 9],
    ]);
    await batcher.flush();
    expect(r.batches[2]).toEqual([10, 11]);
    batcher.stop();
  });

  it('sends a batch once it reaches maxBatchBytes, never exceeding it', async () => {
    const r = recorder();
    const batcher = new Batcher<number>(options({ maxBatchSize: 1000, maxBatchBytes: 2048 }), r.send);
    for (let i = 0; i < 5; i++) batcher.add(i, 1000);
    await batcher.flush();

    expect(r.batches).toEqual([[0, 1], [2, 3], [4]]);
    batcher.stop();
  });

  it('sends what it holds after flushIntervalMs, without a flush', async () => {
    const r = recorder();
    let sent!: () => void;
    const arrived = new Promise<void>((resolve) => (sent = resolve));
    const batcher = new Batcher<number>(options({ flushIntervalMs: 10 }), (batch) => {
      sent();
      return r.send(batch);
    });
    batcher.add(1, 10);
    batcher.add(2, 10);

    expect(r.batches).toEqual([]);
    await arrived;
    expect(r.batches).toEqual([[1, 2]]);
    batcher.stop();
  });

  it('keeps at most maxConcurrentBatches in flight, gathering the rest into the next batch', async () => {
    const r = recorder();
    r.hold();
    const batcher = new Batcher<number>(options({ maxBatchSize: 2, maxConcurrentBatches: 2 }), r.send);
    for (let i = 0; i < 9; i++) batcher.add(i, 10);

    expect(r.batches).toEqual([
      [0, 1],
      [2, 3],
    ]);
    let flushed = false;
    void batcher.flush().then(() => (flushed = true));
    while (!flushed) {
      r.releaseAll();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(r.batches.flat()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(r.most.inFlight).toBe(2);
    expect(batcher.pending).toBe(0);
    batcher.stop();
  });

  it('flush waits for the batches in flight, not for items added after it', async () => {
    const r = recorder();
    r.hold();
    const batcher = new Batcher<number>(options({ maxBatchSize: 2 }), r.send);
    batcher.add(1, 10);
    let flushed = false;
    const flushing = batcher.flush().then(() => (flushed = true));
    batcher.add(2, 10);
    await new Promise((resolve) => setImmediate(resolve));

    expect(flushed).toBe(false);
    r.releaseAll();
    await flushing;
    expect(r.batches[0]).toEqual([1]);
    batcher.stop();
  });

  it('keeps going when a send fails', async () => {
    const seen: number[][] = [];
    const batcher = new Batcher<number>(options({ maxBatchSize: 1 }), async (batch) => {
      seen.push(batch);
      throw new Error('lost');
    });
    batcher.add(1, 1);
    batcher.add(2, 1);
    await batcher.flush();

    expect(seen).toEqual([[1], [2]]);
    batcher.stop();
  });

  it('refuses limits beyond what the ledger accepts', () => {
    const send = async () => undefined;
    expect(() => new Batcher(options({ maxBatchSize: 1001 }), send)).toThrow(InvalidOptionsError);
    expect(() => new Batcher(options({ maxBatchSize: 0 }), send)).toThrow(/maxBatchSize/);
    expect(() => new Batcher(options({ maxBatchBytes: 6 * 1024 * 1024 }), send)).toThrow(/maxBatchBytes/);
    expect(() => new Batcher(options({ maxConcurrentBatches: 0 }), send)).toThrow(/maxConcurrentBatches/);
  });
});
