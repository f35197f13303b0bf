// Runs async jobs one after another. A single SQLite connection can hold one transaction at
// a time, so append sessions of different tenants on one connection take turns here.
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(job: () => Promise<T>): Promise<T> {
    const result = this.tail.then(job, job);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
