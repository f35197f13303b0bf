import { createHash } from 'node:crypto';
import { UUID } from '@evidence-ledger/core';
import { foreignEventId } from './foreign-event-id';

describe('foreignEventId', () => {
  it('gives the same foreign id the same UUIDv8, every time', () => {
    const id = foreignEventId('opa.decision', '4ca636c1-55e4-417a-b1d8-4aceb67960d1');
    expect(id).toBe(foreignEventId('opa.decision', '4ca636c1-55e4-417a-b1d8-4aceb67960d1'));
    expect(id).toMatch(UUID);
    expect(id[14]).toBe('8');
    expect('89ab').toContain(id[19]);
  });

  it('keeps ids of different sources and different foreign ids apart', () => {
    const ids = new Set([
      foreignEventId('opa.decision', 'a'),
      foreignEventId('github.delivery', 'a'),
      foreignEventId('opa.decision', 'b'),
      foreignEventId('opa.decision', 'a\u0000'),
    ]);
    expect(ids.size).toBe(4);
  });

  it('follows SHA-256 of namespace, a zero byte and the foreign id', () => {
    // Only the version nibble (position 12) and the two variant bits (in position 16) differ.
    const digest = createHash('sha256').update('opa.decision\u0000x').digest('hex');
    const id = foreignEventId('opa.decision', 'x').replace(/-/g, '');
    expect(id.slice(0, 12)).toBe(digest.slice(0, 12));
    expect(id.slice(13, 16)).toBe(digest.slice(13, 16));
    expect(id.slice(17, 20)).toBe(digest.slice(17, 20));
    expect(id.slice(20)).toBe(digest.slice(20, 32));
  });
});
