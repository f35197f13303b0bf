import { createServer } from 'node:http';

// The raw HTTP baseline: a plain Node `http` server, one process like the ledger's, that reads
// each request body and answers 201 with a fixed small JSON body. What the same client and
// the HTTP stack alone cost on this machine. Listens on 127.0.0.1:$PORT.
const BODY = Buffer.from(
  JSON.stringify({ id: '019a0000-0000-7000-8000-000000000000', sequence: 0, recordedAt: '2026-11-21T05:00:00.000Z' }),
);

const server = createServer((req, res) => {
  req.on('data', () => undefined);
  req.on('end', () => {
    res.writeHead(201, { 'content-type': 'application/json', 'content-length': BODY.length });
    res.end(BODY);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
