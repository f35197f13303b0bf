import { DEFAULT_APPEND_ATTEMPTS, retryDelayMs } from './append-retry';

describe('KurrentDB append retry pauses', () => {
  it('grow exponentially from 5 ms and stop growing at 250 ms', () => {
    const ceiling = (attempt: number) => retryDelayMs(attempt, () => 0.999999) + 1;
    expect([1, 2, 3, 4, 5, 6, 7, 20].map(ceiling)).toEqual([5, 10, 20, 40, 80, 160, 250, 250]);
  });

  it('are spread at random below that ceiling', () => {
    expect(retryDelayMs(3, () => 0)).toBe(0);
    expect(retryDelayMs(3, () => 0.5)).toBe(10);
  });

  it('allow a handful of attempts by default', () => {
    expect(DEFAULT_APPEND_ATTEMPTS).toBe(10);
  });
});
