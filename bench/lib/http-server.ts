/** Load-side process for http-checks: a keep-alive HTTP server on 127.0.0.1, so its CPU is not counted with the client's. */
import { createServer } from 'node:http';
import { loadChannel } from './child.ts';

const channel = loadChannel();
const body = '<!doctype html><title>Bäckerei Huber</title><p>Geöffnet Mo–Sa 6–18 Uhr</p>';
const server = createServer({ keepAliveTimeout: 30_000 }, (request, response) => {
  response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  response.end(body);
});
let requests = 0;
server.on('request', () => requests++);
server.listen(0, '127.0.0.1', () => channel.send({ type: 'listening', port: (server.address() as { port: number }).port }));
channel.on((message) => {
  if (message.type === 'count') channel.send({ type: 'count', requests });
});
