import { createHash } from 'node:crypto';

/**
 * Deterministic Type II sample: `size` of the population's sequences, chosen by ordering on
 * SHA-256(seed ‖ 0x00 ‖ controlId ‖ 0x00 ‖ decimal sequence) and taking the lowest digests
 * (ties, which SHA-256 makes impossible in practice, by sequence), returned in sequence order.
 * The seed is the pack checkpoint's root hash, which nobody can choose after the fact: anyone
 * can redraw the same sample from the pack alone.
 */
export function drawSample(seed: Uint8Array, controlId: string, population: readonly number[], size: number): number[] {
  if (population.length <= size) return [...population].sort((a, b) => a - b);
  const prefix = createHash('sha256')
    .update(seed)
    .update(Buffer.from([0]))
    .update(controlId, 'utf8')
    .update(Buffer.from([0]));
  // The `size` lowest keys so far, kept sorted: one comparison per item once it is full.
  const best: { key: string; sequence: number }[] = [];
  const before = (a: { key: string; sequence: number }, b: { key: string; sequence: number }) =>
    a.key < b.key || (a.key === b.key && a.sequence < b.sequence);
  for (const sequence of population) {
    const item = { key: prefix.copy().update(String(sequence), 'utf8').digest('hex'), sequence };
    if (best.length === size && !before(item, best[size - 1])) continue;
    let i = best.length === size ? size - 1 : best.length;
    if (best.length === size) best.pop();
    while (i > 0 && before(item, best[i - 1])) i--;
    best.splice(i, 0, item);
  }
  return best.map((x) => x.sequence).sort((a, b) => a - b);
}
