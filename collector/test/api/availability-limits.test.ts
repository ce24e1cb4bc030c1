import t from 'tap';
import { MAX_AVAILABILITY_WINDOW_MS } from '../../src/http/routes/availability.ts';
import { startWorld } from './helpers.ts';
import { result } from '../helpers/collector.ts';

const DAY = 86_400_000;

t.test('a custom availability window is capped; a year fits, decades do not', async (t) => {
  const now = Date.UTC(2026, 5, 15);
  const w = await startWorld({ clock: () => now });
  t.teardown(w.c.close);
  const query = (path: string, from: number, to: number) => w.acmeUser.json<{ code: string; message: string }>('GET', `${path}?scope=client&id=acme&from=${from}&to=${to}`);
  for (const path of ['/api/v1/availability', '/api/v1/incidents']) {
    const decades = await query(path, 0, now);
    t.equal(decades.status, 400, `${path} from=0`);
    t.match(decades.body, { code: 'NINES_ERR_BAD_REQUEST', message: /at most 397 days/ });
    t.equal((await query(path, now - MAX_AVAILABILITY_WINDOW_MS - 1, now)).status, 400, `${path}: one ms over`);
    t.equal((await query(path, now - 365 * DAY, now)).status, 200, `${path}: a year`);
    t.equal((await query(path, now - MAX_AVAILABILITY_WINDOW_MS, now)).status, 200, `${path}: exactly the cap`);
  }
});

t.test("another tenant's client and a client that does not exist get the same 404", async (t) => {
  const w = await startWorld();
  t.teardown(w.c.close);
  await w.c.store.insertResults(w.globexAgent.agentId, [result(1)], Date.now()); // so globex's check "web" exists
  t.ok((await w.c.store.listChecks(w.globexAgent.agentId)).some((c) => c.id === 'web'));
  for (const path of ['/api/v1/availability', '/api/v1/incidents']) {
    for (const scope of ['client', 'host', 'check'] as const) {
      const foreign = { client: 'globex', host: w.globexAgent.agentId, check: `${w.globexAgent.agentId}/web` }[scope];
      const missing = { client: 'no-such-client', host: 'no-such-host', check: 'no-such-host/web' }[scope];
      const a = await w.acmeUser.json('GET', `${path}?scope=${scope}&id=${encodeURIComponent(foreign)}`);
      const b = await w.acmeUser.json('GET', `${path}?scope=${scope}&id=${encodeURIComponent(missing)}`);
      t.equal(a.status, 404, `${path} ${scope}: foreign`);
      t.same(b, a, `${path} ${scope}: missing answers exactly like foreign`);
    }
  }
});
