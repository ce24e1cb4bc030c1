import t from 'tap';
import { execFile } from 'node:child_process';
import { pino } from 'pino';
import { Writable } from 'node:stream';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { buildApp } from '../../src/app.ts';
import { openTestStoreAt, TEST_STORE } from '../helpers/test-store.ts';
import { hashSecret, newSecret } from '../../src/auth/secrets.ts';
import { startCollector, nextMessage, hello, result } from '../helpers/collector.ts';

interface ParsedFamily {
  name: string;
  type: string;
  samples: { name: string; labels: Record<string, string>; value: number }[];
}

/**
 * The Prometheus project's own Python parser (Debian: python3-prometheus-client). Returns null where it
 * is not installed, which fails the test that needs it; the structural checks below need nothing.
 */
function officialParse(text: string): Promise<ParsedFamily[] | null> {
  const script = `import json, sys
from prometheus_client.parser import text_string_to_metric_families
out = [{'name': f.name, 'type': f.type, 'samples': [{'name': s.name, 'labels': s.labels, 'value': s.value} for s in f.samples]} for f in text_string_to_metric_families(sys.stdin.read())]
print(json.dumps(out))`;
  return new Promise((resolve, reject) => {
    const child = execFile('/usr/bin/python3', ['-c', script], { timeout: 20_000 }, (error, stdout, stderr) => {
      if ((error as NodeJS.ErrnoException | null)?.code === 'ENOENT' || /No module named 'prometheus_client'/.test(stderr)) return resolve(null);
      if (error) return reject(new Error(`the Prometheus parser rejected /metrics: ${stderr}`));
      resolve(JSON.parse(stdout) as ParsedFamily[]);
    });
    child.stdin!.end(text);
  });
}

/** The exposition format's rules we rely on, checked line by line (text format 0.0.4). */
function structuralProblems(text: string): string[] {
  const problems: string[] = [];
  const help = new Set<string>();
  const types = new Map<string, string>();
  const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
  if (!text.endsWith('\n')) problems.push('does not end with a newline');
  for (const line of text.slice(0, -1).split('\n')) {
    const meta = /^# (HELP|TYPE) (\S+) (.*)$/.exec(line);
    if (meta) {
      const [, kind, metric, rest] = meta;
      if (!name.test(metric!)) problems.push(`bad metric name ${metric}`);
      if (kind === 'HELP') {
        if (help.has(metric!)) problems.push(`second HELP for ${metric}`);
        help.add(metric!);
      } else {
        if (types.has(metric!)) problems.push(`second TYPE for ${metric}`);
        if (!['counter', 'gauge'].includes(rest!)) problems.push(`unexpected type ${rest}`);
        if (rest === 'counter' && !metric!.endsWith('_total')) problems.push(`counter ${metric} does not end in _total`);
        types.set(metric!, rest!);
      }
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*",?)*\})? (-?\d+(?:\.\d+)?(?:e[+-]?\d+)?|NaN|[+-]Inf)$/.exec(line);
    if (!sample) {
      problems.push(`not a sample line: ${line}`);
      continue;
    }
    if (!types.has(sample[1]!) || !help.has(sample[1]!)) problems.push(`${sample[1]} has no HELP/TYPE before its samples`);
  }
  return problems;
}

function value(families: Map<string, string[]>, line: RegExp): number {
  for (const lines of families.values()) for (const l of lines) if (line.test(l)) return Number(l.slice(l.lastIndexOf(' ') + 1));
  return NaN;
}

t.test('GET /metrics: Prometheus text format with ingest, connection, database and alerting figures', async (t) => {
  const c = await startCollector();
  t.teardown(c.close);
  const creds = await c.addAgent('acme-secret-client');
  const socket = await c.agentSocket(creds);
  socket.send(JSON.stringify(hello()));
  await nextMessage(socket);
  socket.send(JSON.stringify({ type: 'results', batch: [1, 2, 3].map((seq) => result(seq)), backlog: 7 }));
  await nextMessage(socket);
  socket.send(JSON.stringify({ type: 'results', batch: [3, 4].map((seq) => result(seq)), backlog: 0 }));
  await nextMessage(socket);

  const response = await request(`${c.url}/metrics`);
  t.equal(response.statusCode, 200, 'no login needed, like /healthz');
  t.equal(response.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
  const text = await response.body.text();
  t.same(structuralProblems(text), []);
  t.notMatch(text, /acme-secret-client|host-/, 'no tenant or host names on an unauthenticated endpoint');

  const families = new Map<string, string[]>();
  for (const line of text.split('\n')) if (line && !line.startsWith('#')) families.set(line.split(/[{ ]/)[0]!, [...(families.get(line.split(/[{ ]/)[0]!) ?? []), line]);
  t.equal(value(families, /^nines_results_ingested_total /), 4, 'the replayed seq 3 is not counted twice');
  t.equal(value(families, /^nines_result_batches_total /), 2);
  t.equal(value(families, /^nines_agents_connected /), 1);
  t.equal(value(families, /^nines_agents_enrolled /), 1);
  t.equal(value(families, /^nines_agent_connections_total\{event="open"\} /), 1);
  t.ok(value(families, /^nines_db_size_bytes\{file="main"\} /) > 0, 'database size reported');
  t.match(text, /^nines_build_info\{version="[^"]+"\} 1$/m);

  // Alerting's figures are always exported: states and stages without rows as 0.
  t.equal(value(families, /^nines_outbox_depth\{stage="sending"\} /), 0);
  t.equal(value(families, /^nines_alerts\{state="FIRING"\} /), 0, 'states without alerts are exported as 0');

  // The Prometheus project's own parser (.ci/run installs python3-prometheus-client): a missing parser fails.
  const official = await officialParse(text);
  t.ok(official, 'prometheus_client parsed /metrics');
  t.ok((official ?? []).length >= 10, `${official?.length} families parsed by prometheus_client`);
  // prometheus_client reports counters without their _total suffix in the family name
  t.match(official?.find((f) => f.name === 'nines_results_ingested'), { type: 'counter', samples: [{ name: 'nines_results_ingested_total', value: 4 }] });
  t.match(official?.find((f) => f.name === 'nines_agents_connected'), { type: 'gauge', samples: [{ value: 1 }] });
  socket.close();
});

t.test('the structural check fails on malformed exposition text (so the test above can fail)', async (t) => {
  t.match(structuralProblems('# HELP x_total y\n# TYPE x_total counter\nx_total 1\n'), []);
  t.match(structuralProblems('x 1\n'), [/has no HELP\/TYPE/]);
  t.match(structuralProblems('# HELP x y\n# TYPE x counter\nx 1\n'), [/does not end in _total/]);
  t.match(structuralProblems('# HELP x y\n# TYPE x gauge\nx{a="1} 1\n'), [/not a sample line/]);
  t.match(structuralProblems('# HELP x y\n# TYPE x gauge\nx 1'), [/newline/]);
});

t.test('log level at run time: admins change it over the API, everyone else is refused', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nines-loglevel-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({ write(chunk, _enc, done) { lines.push(JSON.parse(chunk.toString())); done(); } });
  const opened = await openTestStoreAt(dir, TEST_STORE);
  const store = opened.store;
  const app = await buildApp({ store, loggerInstance: pino({ level: 'info' }, sink) });
  t.teardown(async () => {
    await app.close();
    await opened.close();
  });
  const now = Date.now();
  const tokenFor = async (role: 'admin' | 'client') => {
    const client = await store.ensureClient('acme', now);
    const userId = await store.createUser({ username: `${role}-user`, passwordHash: 'x', role, clientId: role === 'client' ? client.id : null }, now);
    const token = newSecret();
    await store.createApiToken(hashSecret(token), userId, 'test', now);
    return { authorization: `Bearer ${token}` };
  };
  const admin = await tokenFor('admin');
  const clientUser = await tokenFor('client');

  t.match(await app.inject({ method: 'GET', url: '/api/v1/admin/log-level', headers: admin }), { statusCode: 200, body: '{"level":"info"}' });
  t.equal((await app.inject({ method: 'PUT', url: '/api/v1/admin/log-level', payload: { level: 'debug' } })).statusCode, 401);
  const refused = await app.inject({ method: 'PUT', url: '/api/v1/admin/log-level', headers: clientUser, payload: { level: 'debug' } });
  t.match(refused, { statusCode: 403 });
  t.equal(refused.json().code, 'NINES_ERR_FORBIDDEN');
  const bad = await app.inject({ method: 'PUT', url: '/api/v1/admin/log-level', headers: admin, payload: { level: 'verbose' } });
  t.equal(bad.statusCode, 400);
  t.equal(app.log.level, 'info', 'unchanged by refused requests');

  t.equal(app.log.debug === undefined, false);
  app.log.debug('before: not written');
  const changed = await app.inject({ method: 'PUT', url: '/api/v1/admin/log-level', headers: admin, payload: { level: 'debug' } });
  t.same(changed.json(), { level: 'debug' });
  app.log.child({ module: 'later' }).debug('after: written');
  t.notOk(lines.some((l) => l.msg === 'before: not written'));
  t.ok(lines.some((l) => l.msg === 'after: written'), 'module loggers follow the new level');
  t.match(lines.find((l) => l.msg === 'log level changed'), { from: 'info', to: 'debug', by: 'admin-user' }, 'the change is logged with who made it');
});
