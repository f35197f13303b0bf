import { connect, Socket } from 'node:net';

/** One HTTP/1.1 exchange over a bare socket, with what the client managed to send. */
export interface RawExchange {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  /** Body bytes written to the socket before the answer came (or the server closed it). */
  readonly bodyBytesSent: number;
  /** The server reset the connection before a whole answer arrived (`status` is 0). */
  readonly reset?: boolean;
}

/**
 * Posts like a client that is still uploading: writes the head and `sendFirst` body bytes,
 * then (when `keepSending`) more until `keepSending` bytes in all, stopping as soon as the
 * server answers or closes. `fetch` cannot do this: it finishes sending before it reads.
 */
export function rawPost(
  url: string,
  head: Record<string, string>,
  opts: { sendFirst: number; keepSending?: number; chunked?: boolean },
): Promise<RawExchange> {
  const { hostname, port, pathname } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(Number(port), hostname);
    const received: Buffer[] = [];
    let sent = 0;
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      const answer = parseResponse(Buffer.concat(received));
      if (!answer && (error as NodeJS.ErrnoException | undefined)?.code === 'ECONNRESET') {
        settled = true;
        resolve({ status: 0, headers: {}, body: '', bodyBytesSent: sent, reset: true });
        return;
      }
      if (!answer && error) {
        settled = true;
        reject(error);
        return;
      }
      if (!answer) return;
      settled = true;
      socket.destroy();
      resolve({ ...answer, bodyBytesSent: sent });
    };
    socket.on('data', (d: Buffer) => {
      received.push(d);
      finish();
    });
    socket.on('error', (e) => finish(e));
    socket.on('close', () => finish(new Error('closed without an answer')));
    const lines = [`POST ${pathname} HTTP/1.1`, `Host: ${hostname}:${port}`, ...Object.entries(head).map(([k, v]) => `${k}: ${v}`)];
    if (opts.chunked) lines.push('Transfer-Encoding: chunked');
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const frame = (b: Buffer) => (opts.chunked ? Buffer.concat([Buffer.from(`${b.length.toString(16)}\r\n`), b, Buffer.from('\r\n')]) : b);
    const total = opts.keepSending ?? opts.sendFirst;
    const pump = () => {
      while (!settled && !socket.destroyed && sent < total) {
        const n = Math.min(chunk.length, total - sent);
        sent += n;
        if (!socket.write(frame(chunk.subarray(0, n)))) {
          socket.once('drain', pump);
          return;
        }
        if (sent >= opts.sendFirst && opts.keepSending === undefined) return;
      }
    };
    pump();
  });
}

function parseResponse(raw: Buffer): Omit<RawExchange, 'bodyBytesSent'> | undefined {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [statusLine, ...lines] = raw.subarray(0, end).toString('latin1').split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const length = Number(headers['content-length'] ?? 0);
  const body = raw.subarray(end + 4);
  if (body.length < length) return undefined;
  return { status: Number(statusLine.split(' ')[1]), headers, body: body.subarray(0, length).toString('utf8') };
}
