import { expectedStateFor, readStartFor, sequenceOf, subscriptionStartFor } from './stream-revision';

describe('KurrentDB stream revisions', () => {
  it('expects no stream when appending to an empty log, and revision n - 1 after a head of n', () => {
    expect(expectedStateFor(0)).toBe('no_stream');
    expect(expectedStateFor(1)).toBe(0n);
    expect(expectedStateFor(37)).toBe(36n);
    expect(expectedStateFor(Number.MAX_SAFE_INTEGER)).toBe(BigInt(Number.MAX_SAFE_INTEGER - 1));
  });

  it.each([-1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1])('refuses %p as a tree size', (size) => {
    expect(() => expectedStateFor(size)).toThrow(RangeError);
  });

  it('reads an event revision as the entry sequence it stands for', () => {
    expect(sequenceOf(0n)).toBe(0);
    expect(sequenceOf(41n)).toBe(41);
    expect(sequenceOf(7)).toBe(7);
  });

  it('reports a revision no sequence can have as corruption', () => {
    expect(() => sequenceOf(2n ** 53n)).toThrow(expect.objectContaining({ code: 'STORE_CORRUPT' }));
    expect(() => sequenceOf(-1n)).toThrow(expect.objectContaining({ code: 'STORE_CORRUPT' }));
  });

  it('starts reads at the sequence, and subscriptions one revision earlier (they deliver what follows it)', () => {
    expect(readStartFor(0)).toBe('start');
    expect(readStartFor(5)).toBe(5n);
    expect(subscriptionStartFor(0)).toBe('start');
    expect(subscriptionStartFor(1)).toBe(0n);
    expect(subscriptionStartFor(5)).toBe(4n);
  });
});
