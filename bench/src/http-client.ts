import { Agent, request } from 'node:http';

/** What one request returned. `body` is empty unless the caller asked to keep it. */
export interface HttpReply {
  readonly status: number;
  readonly body: Buffer;
}

const EMPTY = Buffer.alloc(0);

/**
 * The load generator's HTTP client: `http.request` over one keep-alive `http.Agent`, to
 * 127.0.0.1 only. Lighter than `fetch` (undici) per request in Node 20, which matters here:
 * the client runs on the same two cores as the server it measures. Response bodies are
 * drained unread unless kept; any status outside 2xx rejects with the body as the message.
 */
export class HttpClient {
  private readonly agent: Agent;

  constructor(
    readonly port: number,
    maxSockets: number,
    private readonly authorization?: string,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  }

  post(path: string, body: Buffer, keep = false): Promise<HttpReply> {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'content-length': String(body.length) };
    if (this.authorization) headers.authorization = this.authorization;
    return this.send('POST', path, headers, body, keep);
  }

  get(path: string): Promise<HttpReply> {
    const headers: Record<string, string> = {};
    if (this.authorization) headers.authorization = this.authorization;
    return this.send('GET', path, headers, undefined, true);
  }

  /** The same client with another `Authorization: Bearer` key (its own agent). */
  withKey(key: string, maxSockets: number): HttpClient {
    return new HttpClient(this.port, maxSockets, `Bearer ${key}`);
  }

  close(): void {
    this.agent.destroy();
  }

  private send(method: string, path: string, headers: Record<string, string>, body: Buffer | undefined, keep: boolean): Promise<HttpReply> {
    return new Promise((resolve, reject) => {
      const req = request({ agent: this.agent, host: '127.0.0.1', port: this.port, method, path, headers }, (res) => {
        const status = res.statusCode ?? 0;
        const ok = status >= 200 && status < 300;
        if (ok && !keep) {
          res.on('end', () => resolve({ status, body: EMPTY }));
          res.on('error', reject);
          res.resume();
          return;
        }
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks);
          if (ok) resolve({ status, body: text });
          else reject(new Error(`${method} ${path}: HTTP ${status}: ${text.toString('utf8').slice(0, 500)}`));
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  }
}

/** How a closed-loop run ended: requests completed and the wall time they took. */
export interface ClosedLoopResult {
  readonly done: number;
  readonly seconds: number;
}

// `clients` independent callers, each sending its next request only when its previous one
// was answered, until `count` requests were sent or `maxSeconds` passed (whichever comes
// first; requests in flight at the deadline still complete and count).
export async function closedLoop(
  count: number,
  clients: number,
  maxSeconds: number,
  op: (i: number) => Promise<unknown>,
): Promise<ClosedLoopResult> {
  const started = performance.now();
  const deadline = started + maxSeconds * 1000;
  let next = 0;
  let done = 0;
  const client = async (): Promise<void> => {
    while (next < count && performance.now() < deadline) {
      await op(next++);
      done++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(clients, count) }, client));
  return { done, seconds: (performance.now() - started) / 1000 };
}

/** Per request of an open-loop run, milliseconds; NaN where nothing was sent. */
export interface OpenLoopResult {
  readonly offeredRate: number;
  readonly scheduled: number;
  readonly completed: number;
  /** Requests still unanswered when the run gave up waiting (their latency is a lower bound). */
  readonly unanswered: number;
  /** From each request's scheduled send time to its response: what a producer on the timetable sees. */
  readonly latency: Float64Array;
  /** From the actual send to the response (excludes the client's own lateness). */
  readonly service: Float64Array;
  /** How late each request left the client against its timetable. */
  readonly sendLag: Float64Array;
  /** Completed requests per second, from the first scheduled send to the last response. */
  readonly achievedRate: number;
}

// Open loop: request i is due at start + i / rate whatever happened to the earlier ones, so a
// stalled server cannot slow the load down and hide its stall (coordinated omission). A 1 ms
// timer sends everything that has come due — no busy loop, which would take a core from the
// server — so sends leave up to ~1 ms late; that lateness is counted in `latency` (kept in
// `sendLag` for reference). After the last send, waits at most `drainSeconds` for answers.
export function openLoop(rate: number, seconds: number, op: (i: number) => Promise<unknown>, drainSeconds = 30): Promise<OpenLoopResult> {
  const total = Math.max(1, Math.round(rate * seconds));
  const interval = 1000 / rate;
  const latency = new Float64Array(total).fill(NaN);
  const service = new Float64Array(total).fill(NaN);
  const sendLag = new Float64Array(total).fill(NaN);
  const t0 = performance.now() + 5;
  let sent = 0;
  let completed = 0;
  let last = t0;
  return new Promise((resolve, reject) => {
    let failed = false;
    let finished = false;
    let drainTimer: NodeJS.Timeout | undefined;
    const finish = () => {
      if (finished) return;
      finished = true;
      if (drainTimer) clearTimeout(drainTimer);
      const end = performance.now();
      let unanswered = 0;
      for (let i = 0; i < total; i++) {
        if (Number.isNaN(latency[i])) {
          unanswered++;
          latency[i] = end - (t0 + i * interval);
        }
      }
      resolve({
        offeredRate: rate,
        scheduled: total,
        completed,
        unanswered,
        latency,
        service,
        sendLag,
        achievedRate: completed / ((last - t0) / 1000),
      });
    };
    const fire = (i: number) => {
      const due = t0 + i * interval;
      const at = performance.now();
      sendLag[i] = at - due;
      op(i).then(
        () => {
          if (finished) return;
          const end = performance.now();
          latency[i] = end - due;
          service[i] = end - at;
          last = end;
          if (++completed === total) finish();
        },
        (e: unknown) => {
          if (failed) return;
          failed = true;
          if (drainTimer) clearTimeout(drainTimer);
          reject(e);
        },
      );
    };
    const tick = () => {
      if (failed) return;
      const t = performance.now();
      while (sent < total && t0 + sent * interval <= t) fire(sent++);
      if (sent < total) setTimeout(tick, Math.max(0, t0 + sent * interval - performance.now()));
      else if (completed < total) drainTimer = setTimeout(finish, drainSeconds * 1000);
    };
    setTimeout(tick, 5);
  });
}
