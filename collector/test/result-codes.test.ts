import t from 'tap';
import { renderResultMessage } from '@nines/shared';
import { startCollector, nextMessage, closed, hello, result } from './helpers/collector.ts';
import { hashPassword } from '../src/auth/secrets.ts';
import { login, PASSWORD } from './api/helpers.ts';
import { incidentCause, incidents } from '../src/availability/incidents.ts';
import { monthlyReport, renderMonthlyReport } from '../src/reports/index.ts';
import { rawRun } from './helpers/raw-sql.ts';

const MIN = 60_000;
const REFUSED = { code: 'net.refused', params: { target: '127.0.0.1:18511' } };

t.test('ingest stores code and params with each result and the check state; the API returns them beside message', async (t) => {
  const now = Date.now();
  const c = await startCollector({ clock: () => now });
  t.teardown(c.close);
  const creds = await c.addAgent('acme');
  await c.store.createUser({ username: 'admin', passwordHash: await hashPassword(PASSWORD), role: 'admin' }, now);
  const socket = await c.agentSocket(await creds);
  socket.send(JSON.stringify(hello()));
  await nextMessage(socket);
  const old = result(1, { checkId: 'db', kind: 'tcp', status: 'CRIT', message: 'connect ECONNREFUSED 10.0.0.5:5432', startedAt: now - 2 * MIN, finishedAt: now - 2 * MIN });
  const coded = result(2, { checkId: 'db', kind: 'tcp', status: 'CRIT', message: 'Connection to 127.0.0.1:18511 refused', ...REFUSED, startedAt: now - MIN, finishedAt: now - MIN });
  socket.send(JSON.stringify({ type: 'results', batch: [old, coded] }));
  t.same(await nextMessage(socket), { type: 'ack', upTo: 2 });

  const stored = await c.store.resultsBetween(creds.agentId, 'db', 0, now);
  t.match(stored[1], REFUSED, 'the new result keeps its code and params');
  t.notOk('code' in stored[0]!, 'an old agent\'s result has no code');
  t.match((await c.store.listChecks(creds.agentId))[0], { message: 'Connection to 127.0.0.1:18511 refused', ...REFUSED }, 'and so has the check state');

  const admin = await login(c.url, 'admin');
  const detail = await admin.json<{ checks: { code: string | null; params: unknown; message: string }[] }>('GET', `/api/v1/agents/${creds.agentId}`);
  t.match(detail.body.checks[0], { message: 'Connection to 127.0.0.1:18511 refused', ...REFUSED });
  const history = await admin.json<{ points: { code: string | null; params: unknown; message: string }[] }>('GET', `/api/v1/agents/${creds.agentId}/checks/db/history?from=${now - 10 * MIN}&to=${now}`);
  t.match(history.body.points, [{ code: null, params: null, message: 'connect ECONNREFUSED 10.0.0.5:5432' }, REFUSED]);
  const de = history.body.points.map((p) => renderResultMessage(p.code, p.params as never, 'de', p.message));
  t.same(de, ['connect ECONNREFUSED 10.0.0.5:5432', 'Verbindung zu 127.0.0.1:18511 abgelehnt'], 'the old result shows its stored message, the new one German');
  const status = await admin.json<{ agents: { checks: { code: string | null }[] }[] }>('GET', '/api/v1/status');
  t.match(status.body.agents[0]!.checks[0], REFUSED);
  socket.close();
  await closed(socket);
});

t.test('params beyond the bounds are refused with a clear error and nothing is stored', async (t) => {
  const c = await startCollector();
  t.teardown(c.close);
  const { creds, socket } = await c.welcomedAgent();
  socket.send(JSON.stringify({ type: 'results', batch: [result(1, { code: 'net.refused', params: { target: 'x'.repeat(201) } })] }));
  // A result that can never be valid is refused for good (4422, naming it), so the agent makes it a gap.
  t.match(await nextMessage(socket), { type: 'error', code: 'NINES_ERR_RESULT_REFUSED', seq: 1, message: /params/ });
  t.equal(await c.store.countResults(creds.agentId), 0);
});

t.test('the monthly report gives an incident cause in the client\'s language', async (t) => {
  const month = '2026-06';
  const from = Date.parse('2026-06-10T10:00:00Z');
  const now = Date.parse('2026-07-02T00:00:00Z');
  const c = await startCollector({ clock: () => now });
  t.teardown(c.close);
  const creds = await c.addAgent('Bäckerei Müller');
  await rawRun(c.store, `UPDATE clients SET language = 'de', timezone = 'Europe/Berlin' WHERE name = 'Bäckerei Müller'`);
  await rawRun(c.store, `INSERT INTO checks (agent_id, id, kind, name, interval_ms) VALUES (?, 'mail', 'tcp', 'Mail (SMTP)', ?)`, creds.agentId, 5 * MIN);
  await rawRun(c.store, `INSERT INTO checks (agent_id, id, kind, name, interval_ms) VALUES (?, 'web', 'http', 'Webshop', ?)`, creds.agentId, 5 * MIN);
  const batch = [];
  let seq = 0;
  for (let at = from - 60 * MIN; at < from + 60 * MIN; at += 5 * MIN) {
    const down = at >= from && at < from + 30 * MIN;
    batch.push(result(++seq, {
      checkId: 'mail', kind: 'tcp', startedAt: at, finishedAt: at + 10, status: down ? 'CRIT' : 'OK',
      ...(down ? { message: 'Connection to 127.0.0.1:18511 refused', ...REFUSED } : { message: '127.0.0.1:18511 accepted a connection in 1 ms' }),
    }));
    // an old agent's check: no code, its stored text is all there is
    batch.push(result(++seq, { checkId: 'web', kind: 'http', startedAt: at, finishedAt: at + 10, status: down ? 'CRIT' : 'OK', message: down ? 'HTTP 502 in 3 ms' : 'HTTP 200 in 3 ms' }));
  }
  await c.store.insertResults(creds.agentId, batch, now);

  const clientId = (await c.store.findClient('Bäckerei Müller'))!.id;
  const found = await incidents(c.store, 'client', String(clientId), month, now);
  t.equal(found.length, 2);
  const mail = found.find((i) => i.checkId === 'mail')!;
  t.equal(mail.cause, 'Connection to 127.0.0.1:18511 refused', 'the English text stays for the API and logs');
  t.equal(incidentCause(mail, 'de'), 'Verbindung zu 127.0.0.1:18511 abgelehnt');
  t.equal(incidentCause(found.find((i) => i.checkId === 'web')!, 'de'), 'HTTP 502 in 3 ms', 'no code: the stored message');

  const html = renderMonthlyReport(await monthlyReport(c.store, clientId, month, now), 'de');
  t.match(html, '<td>Verbindung zu 127.0.0.1:18511 abgelehnt</td>');
  t.notMatch(html, /ECONNREFUSED|Connection to/, 'no English cause and no raw errno in the German report');
  t.match(renderMonthlyReport(await monthlyReport(c.store, clientId, month, now), 'en'), '<td>Connection to 127.0.0.1:18511 refused</td>');
});
