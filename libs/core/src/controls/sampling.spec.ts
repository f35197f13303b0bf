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
