import t from 'tap';
import Fastify from 'fastify';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { downloadRoutes } from '../../src/ops/downloads.ts';

t.test('the collector hands out the agent bundle without login, or says how to build it', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nines-download-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const bundle = join(dir, 'nines-agent.mjs');
  const app = Fastify();
  await app.register(downloadRoutes(bundle));
  await app.listen({ host: '127.0.0.1', port: 0 });
  t.teardown(() => app.close());
  const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/download/nines-agent.mjs`;

  const missing = await request(url);
  t.equal(missing.statusCode, 404);
  t.match(await missing.body.json(), { message: /npm run build/ });

  const content = '#!/usr/bin/env node\nconsole.log("agent")\n';
  writeFileSync(bundle, content);
  const found = await request(url);
  t.equal(found.statusCode, 200);
  t.match(found.headers, { 'content-type': 'text/javascript; charset=utf-8', 'content-disposition': 'attachment; filename="nines-agent.mjs"' });
  t.equal(await found.body.text(), content, 'byte for byte');
});
