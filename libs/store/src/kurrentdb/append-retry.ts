/** How many times an append session runs before a lost race is reported as STORE_CONFLICT. */
export const DEFAULT_APPEND_ATTEMPTS = 10;

const BASE_DELAY_MS = 5;
const MAX_DELAY_MS = 250;

/**
 * The pause before attempt `attempt + 1` after the append of attempt `attempt` lost a race:
 * exponential with full jitter (5 ms, 10 ms, 20 ms … capped at 250 ms, times a random factor),
 * so instances that collided do not collide again in lockstep.
 */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}
