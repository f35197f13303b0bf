import { availableParallelism } from 'node:os';
import { EventPreparer, INLINE_PREPARER } from './event-preparer';
import { ThreadedPreparer } from './threaded-preparer';

/** Large batches shared with a second thread when the machine has more than one core, else inline. */
export function defaultPreparer(): EventPreparer {
  return availableParallelism() > 1 ? new ThreadedPreparer() : INLINE_PREPARER;
}
