import t from 'tap';
import { startCollector } from './helpers/collector.ts';

t.test('GET /api/v1/openapi.json documents the API from the routes\' own schemas, without login', async (t) => {
  const c = await startCollector();
  t.teardown(c.close);
  const response = await fetch(`${c.url}/api/v1/openapi.json`);
  t.equal(response.status, 200);
  const doc = (await response.json()) as { openapi: string; info: { version: string }; paths: Record<string, Record<string, { requestBody?: unknown; responses?: Record<string, unknown> }>> };
  t.equal(doc.openapi, '3.0.3');
  t.equal(doc.info.version, c.app.nines.version);
  for (const path of ['/api/v1/status', '/api/v1/session', '/api/v1/enroll', '/api/v1/availability', '/api/v1/alerts', '/api/v1/maintenance']) {
    t.ok(doc.paths[path], `${path} is documented`);
  }
  t.ok(doc.paths['/api/v1/session']!.post!.requestBody, 'login body schema included');
  t.ok(doc.paths['/api/v1/status']!.get!.responses!['200'], 'status response schema included');
  t.notOk(doc.paths['/api/v1/openapi.json'], 'the document itself is hidden');
});
