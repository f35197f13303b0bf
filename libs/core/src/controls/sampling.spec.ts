import { drawSample } from './sampling';

const population = Array.from({ length: 500 }, (_, i) => i * 3);
const root = (b: number) => Buffer.alloc(32, b);

describe('Type II sampling', () => {
  it('draws the same sample from the same checkpoint root, in sequence order', () => {
    const a = drawSample(root(1), 'CC8.1', population, 25);
    expect(drawSample(root(1), 'CC8.1', [...population].reverse(), 25)).toEqual(a);
    expect(a).toHaveLength(25);
    expect([...a].sort((x, y) => x - y)).toEqual(a);
    expect(a.every((s) => population.includes(s))).toBe(true);
  });

  it('draws a different sample for another root or another control', () => {
    const a = drawSample(root(1), 'CC8.1', population, 25);
    expect(drawSample(root(2), 'CC8.1', population, 25)).not.toEqual(a);
    expect(drawSample(root(1), 'CC6.1', population, 25)).not.toEqual(a);
  });

  it('takes the whole population when it is no larger than the sample', () => {
    expect(drawSample(root(1), 'CC8.1', [9, 3, 6], 25)).toEqual([3, 6, 9]);
  });

  it('matches the documented construction: lowest SHA-256(root 0 id 0 sequence) first', () => {
    const { createHash } = jest.requireActual<typeof import('node:crypto')>('node:crypto');
    const key = (s: number) =>
      createHash('sha256')
        .update(Buffer.concat([root(7), Buffer.from([0]), Buffer.from('A.5.3'), Buffer.from([0]), Buffer.from(String(s))]))
        .digest('hex');
    const expected = [...population]
      .sort((a, b) => (key(a) < key(b) ? -1 : 1))
      .slice(0, 5)
      .sort((a, b) => a - b);
    expect(drawSample(root(7), 'A.5.3', population, 5)).toEqual(expected);
  });
});

// The worked example of docs/evidence-packs.md ("Sampling"): its numbers are pinned here, so the
// procedure an auditor re-implements from the docs is the one the ledger runs.
describe('the documented sampling example', () => {
  const { createHash } = jest.requireActual<typeof import('node:crypto')>('node:crypto');
  const rootHash = 'cmY8IB8neOXy0XT3DAqlM+NBpDLtU8gL3QHpR+pw7BE=';
  const seed = Buffer.from(rootHash, 'base64');
  const key = (sequence: number) =>
    createHash('sha256')
      .update(
        Buffer.concat([seed, Buffer.from([0]), Buffer.from('CC8.1', 'utf8'), Buffer.from([0]), Buffer.from(String(sequence), 'utf8')]),
      )
      .digest('hex');

  it('orders the population by key and takes the lowest three', () => {
    expect(seed.toString('hex')).toBe('72663c201f2778e5f2d174f70c0aa533e341a432ed53c80bdd01e947ea70ec11');
    const population = [3, 5, 8, 13, 21, 34];
    expect(Object.fromEntries(population.map((s) => [s, key(s).slice(0, 16)]))).toEqual({
      3: '304b66eb804e062a',
      5: 'd5b477eea124a5e0',
      8: '826663529ba5a89f',
      13: 'd4b0007408cf3fca',
      21: '24d7158f5fc47d01',
      34: '35ea11036db7263a',
    });
    expect(drawSample(seed, 'CC8.1', population, 3)).toEqual([3, 21, 34]);
  });
});
