import { uuidv7 } from '@evidence-ledger/core';
import { NewPackJob, PackJobStore, packJobStoreOf } from '../pack-job-store';
import { StoreUnderTest } from './ledger-store.contract';

const T0 = Date.parse('2026-11-21T10:00:00.000Z');
const LEASE = 60_000;

// Ids one millisecond apart, so they sort in the order made (as the service's do).
let clock = Date.now();
function newJob(tenant = 'acme', framework = 'soc2'): NewPackJob {
  return {
    id: uuidv7(++clock),
    tenant,
    framework,
    request: { from: '2026-10-01T00:00:00.000Z', to: '2026-11-01T00:00:00.000Z', scope: { repositories: ['acme/pay'] } },
    createdAt: new Date().toISOString(),
  };
}

// The behaviour every PackJobStore adapter must show. Run it from each adapter's
// `*-pack-jobs.int-spec.ts` against a real database.
export function describePackJobStoreContract(name: string, open: () => Promise<StoreUnderTest>): void {
  describe(`${name} PackJobStore contract`, () => {
    let sut: StoreUnderTest;
    let jobs: PackJobStore;
    beforeEach(async () => {
      sut = await open();
      jobs = packJobStoreOf(sut.store);
    });
    afterEach(async () => sut.cleanup());

    async function queue(...made: NewPackJob[]): Promise<NewPackJob[]> {
      for (const j of made) expect(await jobs.enqueue(j, 100)).toEqual({ accepted: true });
      return made;
    }

    it('queues a job that the same tenant finds, on another connection too, and another tenant does not', async () => {
      const [job] = await queue(newJob());
      const expected = { ...job, status: 'queued', progress: 0, attempts: 0 };
      expect(await jobs.find('acme', job.id)).toMatchObject(expected);
      const other = packJobStoreOf(await sut.reopen());
      expect(await other.find('acme', job.id)).toMatchObject(expected);
      expect(await other.find('globex', job.id)).toBeUndefined();
      expect(await jobs.find('acme', uuidv7())).toBeUndefined();
    });

    it('refuses a job when the tenant already has the maximum queued or building, and counts no finished job', async () => {
      await queue(newJob(), newJob());
      expect(await jobs.enqueue(newJob(), 2)).toEqual({ accepted: false, pending: 2 });
      expect(await jobs.enqueue(newJob('globex'), 2)).toEqual({ accepted: true });
      const claimed = (await jobs.claim('builder-a', T0, T0 + LEASE))!;
      expect(await jobs.enqueue(newJob(), 2)).toEqual({ accepted: false, pending: 2 });
      expect(await jobs.finish(claimed.id, 'builder-a', { status: 'failed', error: 'broken' })).toBe(true);
      expect(await jobs.enqueue(newJob(), 2)).toEqual({ accepted: true });
    });

    it('never lets two connections queue past the limit together', async () => {
      const other = packJobStoreOf(await sut.reopen());
      const outcomes = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? jobs : other).enqueue(newJob(), 4)));
      expect(outcomes.filter((o) => o.accepted)).toHaveLength(4);
      expect((await jobs.list('acme', { limit: 100 })).jobs).toHaveLength(4);
    });

    it("lists a tenant's jobs in the order they were queued, page by page, filtered by framework and status", async () => {
      const made = await queue(newJob(), newJob('acme', 'hipaa'), newJob(), newJob('globex'), newJob());
      const acme = made.filter((j) => j.tenant === 'acme').map((j) => j.id);
      const first = await jobs.list('acme', { limit: 3 });
      expect(first.jobs.map((j) => j.id)).toEqual(acme.slice(0, 3));
      expect(first.next).toBe(acme[2]);
      const second = await jobs.list('acme', { limit: 3, after: first.next });
      expect(second.jobs.map((j) => j.id)).toEqual(acme.slice(3));
      expect(second.next).toBeUndefined();
      expect((await jobs.list('acme', { limit: 10, framework: 'hipaa' })).jobs.map((j) => j.id)).toEqual([made[1].id]);
      expect((await jobs.list('globex', { limit: 10 })).jobs.map((j) => j.id)).toEqual([made[3].id]);
      expect((await jobs.list('nobody', { limit: 10 })).jobs).toEqual([]);
      await jobs.claim('builder-a', T0, T0 + LEASE);
      expect((await jobs.list('acme', { limit: 10, status: 'building' })).jobs.map((j) => j.id)).toEqual([made[0].id]);
      expect((await jobs.list('acme', { limit: 10, status: 'queued' })).jobs).toHaveLength(3);
    });

    it('hands out the oldest queued job with a lease, and nothing once every job is taken', async () => {
      const [a, b] = await queue(newJob(), newJob());
      const first = await jobs.claim('builder-a', T0, T0 + LEASE);
      expect(first).toMatchObject({ id: a.id, status: 'building', owner: 'builder-a', leaseUntil: T0 + LEASE, attempts: 1 });
      expect((await jobs.claim('builder-b', T0, T0 + LEASE))?.id).toBe(b.id);
      expect(await jobs.claim('builder-c', T0 + 1000, T0 + LEASE)).toBeUndefined();
    });

    it('gives every job to exactly one of many claimers on two connections', async () => {
      const made = await queue(...Array.from({ length: 10 }, () => newJob()));
      const other = packJobStoreOf(await sut.reopen());
      const claims = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? jobs : other).claim(`builder-${i}`, T0, T0 + LEASE)));
      const ids = claims.filter((c) => c !== undefined).map((c) => c!.id);
      expect(ids.sort()).toEqual(made.map((j) => j.id).sort());
    });

    it('lets another builder take over a job whose lease ran out, and stops the old owner from touching it', async () => {
      const [job] = await queue(newJob());
      await jobs.claim('builder-a', T0, T0 + LEASE);
      expect(await jobs.renew(job.id, 'builder-a', { leaseUntil: T0 + 2 * LEASE, progress: 40, plan: { treeSize: 12 } })).toBe(true);
      expect(await jobs.claim('builder-b', T0 + LEASE + 1, T0 + 3 * LEASE)).toBeUndefined();
      const taken = await jobs.claim('builder-b', T0 + 2 * LEASE + 1, T0 + 4 * LEASE);
      expect(taken).toMatchObject({ id: job.id, owner: 'builder-b', attempts: 2, plan: { treeSize: 12 }, progress: 40 });
      expect(await jobs.renew(job.id, 'builder-a', { leaseUntil: T0 + 9 * LEASE, progress: 90 })).toBe(false);
      expect(await jobs.finish(job.id, 'builder-a', { status: 'ready', result: { sha256: 'forged' } })).toBe(false);
      expect(await jobs.find('acme', job.id)).toMatchObject({ status: 'building', owner: 'builder-b', progress: 40 });
      expect(await jobs.renew(job.id, 'builder-b', { leaseUntil: T0 + 5 * LEASE, progress: 60 })).toBe(true);
      expect(await jobs.find('acme', job.id)).toMatchObject({ progress: 60, leaseUntil: T0 + 5 * LEASE, plan: { treeSize: 12 } });
    });

    it('finishes a job as ready with its result, or as failed with the reason and the progress it reached', async () => {
      const [a, b] = await queue(newJob(), newJob());
      await jobs.claim('builder-a', T0, T0 + LEASE);
      await jobs.claim('builder-a', T0, T0 + LEASE);
      const result = { sha256: 'ab'.repeat(32), summary: { controls: 3 } };
      expect(await jobs.finish(a.id, 'builder-a', { status: 'ready', result })).toBe(true);
      expect(await jobs.renew(b.id, 'builder-a', { leaseUntil: T0 + LEASE, progress: 30 })).toBe(true);
      expect(await jobs.finish(b.id, 'builder-a', { status: 'failed', error: 'the build was interrupted three times' })).toBe(true);
      const ready = await jobs.find('acme', a.id);
      expect(ready).toMatchObject({ status: 'ready', progress: 100, result });
      expect(ready?.error).toBeUndefined();
      expect(ready?.leaseUntil).toBeUndefined();
      expect(await jobs.find('acme', b.id)).toMatchObject({
        status: 'failed',
        progress: 30,
        error: 'the build was interrupted three times',
      });
      expect(await jobs.finish(a.id, 'builder-a', { status: 'failed', error: 'twice' })).toBe(false);
      expect(await jobs.claim('builder-b', T0 + 10 * LEASE, T0 + 11 * LEASE)).toBeUndefined();
    });

    it('finds the newest ready job of a tenant and framework queued before a given one', async () => {
      const [a, b, c, d] = await queue(newJob(), newJob(), newJob('acme', 'hipaa'), newJob());
      for (let i = 0; i < 4; i++) await jobs.claim('builder-a', T0, T0 + LEASE);
      for (const j of [a, b, c]) await jobs.finish(j.id, 'builder-a', { status: 'ready', result: { n: j.id } });
      expect((await jobs.latestReady('acme', 'soc2', d.id))?.id).toBe(b.id);
      expect((await jobs.latestReady('acme', 'soc2', b.id))?.id).toBe(a.id);
      expect(await jobs.latestReady('acme', 'soc2', a.id)).toBeUndefined();
      expect(await jobs.latestReady('globex', 'soc2', d.id)).toBeUndefined();
    });
  });
}
