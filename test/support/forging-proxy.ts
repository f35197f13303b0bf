import { createServer, IncomingMessage, Server } from 'node:http';

export interface ForgingProxy {
  readonly url: string;
  close(): Promise<void>;
}

// A server that lies: it forwards every request to the ledger and flips one bit of the first
// inclusion-proof hash in each change timeline (its first step's) and each inclusion proof it
// answers. Everything else (the signed checkpoint, the entry bytes) is passed through untouched.
export async function startForgingProxy(target: string): Promise<ForgingProxy> {
  const server: Server = createServer(async (req, res) => {
    const upstream = await fetch(`${target}${req.url}`, { method: req.method, headers: forwardedHeaders(req) });
    let body = Buffer.from(await upstream.arrayBuffer());
    const path = req.url ?? '';
    if (upstream.ok && /^\/v1\/changes\/[^/]+\/timeline/.test(path)) {
      const timeline = JSON.parse(body.toString('utf8'));
      flipOneBit(timeline.steps[0].evidence.proof.hashes);
      body = Buffer.from(JSON.stringify(timeline));
    }
    if (upstream.ok && path.startsWith('/v1/proofs/inclusion')) {
      const proof = JSON.parse(body.toString('utf8'));
      flipOneBit(proof.hashes);
      body = Buffer.from(JSON.stringify(proof));
    }
    const headers: Record<string, string> = {};
    upstream.headers.forEach((value, name) => {
      if (!['content-length', 'content-encoding', 'transfer-encoding', 'connection'].includes(name)) headers[name] = value;
    });
    res.writeHead(upstream.status, headers).end(body);
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((closed) => server.close(() => closed())) };
}

function forwardedHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  if (req.headers.authorization) headers.authorization = req.headers.authorization;
  return headers;
}

// One bit of the first hash of a proof's audit path.
function flipOneBit(hashes: string[]): void {
  const bytes = Buffer.from(hashes[0], 'base64');
  bytes[7] ^= 0x01;
  hashes[0] = bytes.toString('base64');
}
