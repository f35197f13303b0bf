import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/** One request the scripted ledger received. */
export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly body: string;
  /** The ids of the events posted, in order. */
  readonly ids: string[];
}

/** What the scripted ledger does with one request. */
export type ScriptedAnswer =
  /** 201 (or `status`) with one receipt-shaped object per event posted (in reverse order when `reversed`). */
  | { readonly receipts: true; readonly status?: number; readonly reversed?: boolean }
  | { readonly status: number; readonly problem?: Record<string, unknown>; readonly headers?: Record<string, string> }
  /** Closes the connection without an answer: a network error for the client. */
  | { readonly hangUp: true };

/**
 * A real HTTP server on 127.0.0.1 that misbehaves on cue: each request takes the next answer
 * from the script (the last one repeats). For transport tests of the client — retries,
 * refusals, splitting — where the real ledger cannot be made to fail on demand.
 */
export class ScriptedLedger {
  readonly requests: ReceivedRequest[] = [];
  private readonly server: Server;

  private constructor(private script: ScriptedAnswer[] | ((request: ReceivedRequest) => ScriptedAnswer)) {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  static async start(script: ScriptedAnswer[] | ((request: ReceivedRequest) => ScriptedAnswer)): Promise<ScriptedLedger> {
    const ledger = new ScriptedLedger(script);
    await new Promise<void>((resolve) => ledger.server.listen(0, '127.0.0.1', resolve));
    return ledger;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  answer(script: ScriptedAnswer[] | ((request: ReceivedRequest) => ScriptedAnswer)): void {
    this.script = script;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    let ids: string[] = [];
    try {
      const parsed = JSON.parse(body) as { id: string }[];
      ids = Array.isArray(parsed) ? parsed.map((e) => e.id) : [];
    } catch {
      // not a batch of events
    }
    const request = { method: req.method ?? '', path: req.url ?? '', body, ids };
    this.requests.push(request);
    const answer = this.next(request);
    if ('hangUp' in answer) {
      req.socket.destroy();
      return;
    }
    if ('receipts' in answer) {
      res.writeHead(answer.status ?? 201, { 'content-type': 'application/json' });
      const receipts = ids.map(fakeReceipt);
      res.end(JSON.stringify(answer.reversed ? receipts.reverse() : receipts));
      return;
    }
    res.writeHead(answer.status, { 'content-type': 'application/problem+json', ...answer.headers });
    res.end(JSON.stringify({ status: answer.status, code: `STATUS_${answer.status}`, detail: 'scripted', ...answer.problem }));
  }

  private next(request: ReceivedRequest): ScriptedAnswer {
    if (typeof this.script === 'function') return this.script(request);
    return this.script.length > 1 ? (this.script.shift() as ScriptedAnswer) : this.script[0];
  }
}

// Receipt-shaped, not verifiable: transport tests run with verification off.
function fakeReceipt(id: string, sequence: number) {
  const hash = Buffer.alloc(32, sequence).toString('base64');
  return {
    id,
    sequence,
    leafHash: hash,
    chainHash: hash,
    recordedAt: '2026-01-01T00:00:00.000Z',
    checkpoint: 'scripted\n1\n\n',
    inclusionProof: { leafIndex: sequence, treeSize: sequence + 1, hashes: [] },
  };
}
