import { EventIdIndex, IdSource } from './event-id-index';

const id = (n: number) => `00000000-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;

// A log of `size` entries whose entry n has id(n), counting what catch-ups read.
function log(size: () => number) {
  const reads: [number, number][] = [];
  const source: IdSource = async function* (from, to) {
    reads.push([from, to]);
    for (let s = from; s < Math.min(to, size()); s++) yield { sequence: s, id: id(s) };
  };
  return { source, reads };
}

describe('KurrentDB event id index', () => {
  it('reads the log once, then only what was appended since', async () => {
    let size = 5;
    const { source, reads } = log(() => size);
    const index = new EventIdIndex();
    await index.catchUp(5, source);
    expect(index.lookup([id(3), id(9)])).toEqual(new Map([[id(3), 3]]));
    size = 8;
    await index.catchUp(8, source);
    await index.catchUp(8, source);
    expect(index.lookup([id(7)])).toEqual(new Map([[id(7), 7]]));
    expect(reads).toEqual([
      [0, 5],
      [5, 8],
    ]);
  });

  it('compares ids without regard to case', async () => {
    const index = new EventIdIndex();
    await index.catchUp(2, log(() => 2).source);
    expect(index.lookup([id(1).toUpperCase()]).get(id(1).toUpperCase())).toBe(1);
  });

  it('lets concurrent callers share one reader', async () => {
    const { source, reads } = log(() => 10);
    const index = new EventIdIndex();
    await Promise.all([index.catchUp(10, source), index.catchUp(6, source), index.catchUp(10, source)]);
    expect(reads).toEqual([[0, 10]]);
    expect(index.indexedSize).toBe(10);
  });

  it('takes entries this process committed without reading them back', async () => {
    const { source, reads } = log(() => 4);
    const index = new EventIdIndex();
    await index.catchUp(2, source);
    await index.addCommitted([
      { sequence: 2, id: id(2) },
      { sequence: 3, id: id(3) },
    ]);
    await index.catchUp(4, source);
    expect(reads).toEqual([[0, 2]]);
    // Rows that do not continue the index are left for the next catch-up.
    await index.addCommitted([{ sequence: 9, id: id(9) }]);
    expect(index.lookup([id(9)]).size).toBe(0);
  });

  it('reports a log shorter than its head, or an id recorded twice, as corruption', async () => {
    await expect(new EventIdIndex().catchUp(5, log(() => 3).source)).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
    const twice: IdSource = async function* () {
      yield { sequence: 0, id: id(1) };
      yield { sequence: 1, id: id(1) };
    };
    await expect(new EventIdIndex().catchUp(2, twice)).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
  });
});
