import { consecutiveRuns } from './entry-reader';

describe('KurrentDB reads of scattered entries', () => {
  it('read each run of consecutive sequences with one request', () => {
    expect(consecutiveRuns([3, 4, 5, 9, 1])).toEqual([
      [1, 1],
      [3, 3],
      [9, 1],
    ]);
    expect(consecutiveRuns([7, 7, 8])).toEqual([[7, 2]]);
    expect(consecutiveRuns([])).toEqual([]);
  });

  it('skip sequences no entry can have', () => {
    expect(consecutiveRuns([-1, 0.5, 2])).toEqual([[2, 1]]);
  });
});
