import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { LedgerApi } from './ledger-api';

// A real HTTP server on an ephemeral port that answers each request with `handle`.
async function serve(handle: (req: IncomingMessage, body: string, res: ServerResponse) => void): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => handle(req, body, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

describe('LedgerApi, for endpoints beyond recording events', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));
  const api = (url: string) => new LedgerApi({ url, apiKey: 'k-1', requestTimeoutMs: 5_000 });
  const signal = () => new AbortController().signal;

  it('sends any method with a JSON body and the API key, and reads the JSON answer', async () => {
    const s = await serve((req, body, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ method: req.method, url: req.url, auth: req.headers.authorization, type: req.headers['content-type'], body }),
      );
    });
    server = s.server;
    const outcome = await api(s.url).send('PUT', '/v1/integrations/github', signal(), { secret: 's' });
    expect(outcome).toEqual({
      kind: 'ok',
      status: 200,
      body: { method: 'PUT', url: '/v1/integrations/github', auth: 'Bearer k-1', type: 'application/json', body: '{"secret":"s"}' },
    });
  });

  it('resolves an empty 2xx answer (a 204) to undefined', async () => {
    const s = await serve((_req, _body, res) => res.writeHead(204).end());
    server = s.server;
    expect(await api(s.url).send('DELETE', '/v1/api-keys/x', signal())).toEqual({ kind: 'ok', status: 204, body: undefined });
  });

  it('tells a problem document from an answer that is not one', async () => {
    const s = await serve((req, _body, res) => {
      if (req.url === '/problem') {
        res.writeHead(400, { 'content-type': 'application/problem+json' });
        res.end(JSON.stringify({ code: 'INVALID_PACK_REQUEST', detail: 'bad', errors: [{ path: 'to', message: 'must be after from' }] }));
      } else res.writeHead(502, { 'content-type': 'text/html' }).end('<html>bad gateway</html>');
    });
    server = s.server;
    const problem = await api(s.url).send('GET', '/problem', signal());
    expect(problem).toMatchObject({
      kind: 'answered',
      status: 400,
      problem: { code: 'INVALID_PACK_REQUEST', detail: 'bad', errors: [{ path: 'to', message: 'must be after from' }], document: true },
    });
    const gateway = await api(s.url).send('GET', '/proxy', signal());
    expect(gateway).toMatchObject({ kind: 'answered', status: 502, problem: { code: 'HTTP_502', document: false } });
  });

  it('streams a download, and reports a refused one as a problem', async () => {
    const s = await serve((req, _body, res) => {
      if (req.url === '/v1/evidence-packs/p/download')
        res.writeHead(200, { 'content-type': 'application/zip' }).end(Buffer.from('PK-bytes'));
      else res.writeHead(404, { 'content-type': 'application/problem+json' }).end('{"code":"NOT_FOUND","detail":"no pack"}');
    });
    server = s.server;
    const ok = await api(s.url).stream('/v1/evidence-packs/p/download', signal());
    if (ok.kind !== 'ok') throw new Error(`expected a stream, got ${ok.kind}`);
    expect(Buffer.from(await new Response(ok.body).arrayBuffer()).toString()).toBe('PK-bytes');
    const missing = await api(s.url).stream('/v1/evidence-packs/q/download', signal());
    expect(missing).toMatchObject({ kind: 'answered', status: 404, problem: { code: 'NOT_FOUND', detail: 'no pack', document: true } });
  });

  it('reports an unreachable ledger as a network outcome', async () => {
    const outcome = await api('http://127.0.0.1:1').send('GET', '/v1/api-keys', signal());
    expect(outcome.kind).toBe('network');
  });
});
