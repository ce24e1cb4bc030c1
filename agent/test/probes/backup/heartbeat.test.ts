import t from 'tap';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'undici';
import { startHeartbeatListener } from '../../../src/probes/backup/index.ts';
import { parseHeartbeatRequest } from '../../../src/probes/backup/heartbeat/parse.ts';
import { evaluateHeartbeat } from '../../../src/probes/backup/heartbeat/evaluate.ts';
import { heartbeatStatePath } from '../../../src/probes/backup/heartbeat/store.ts';
import { backup } from '../../../src/checks/backup.ts';
import { DAY, HOUR, tempDir, testContext } from './context.ts';

const config = { kind: 'backup' as const, id: 'hb', tool: 'heartbeat' as const, job: 'nightly-db', every: '24h' };

t.test('requests: path and query become an event; bad ones get 400/404 with the reason', async (t) => {
  t.same(parseHeartbeatRequest('/hb/nightly-db/fail?exit=2&size=1048576&duration=35.5'), {
    ok: true,
    job: 'nightly-db',
    event: { type: 'fail', exitCode: 2, sizeBytes: 1048576, durationMs: 35500 },
  });
  t.same(parseHeartbeatRequest('/hb/nightly-db'), { ok: true, job: 'nightly-db', event: { type: 'success' } });
  t.match(parseHeartbeatRequest('/hb/nightly-db/finish'), { ok: false, httpStatus: 404 });
  t.match(parseHeartbeatRequest('/hb/bad%20name/start'), { ok: false, httpStatus: 400 });
  t.match(parseHeartbeatRequest('/hb/x/success?size=-1'), { ok: false, httpStatus: 400, reason: /size must be a non-negative integer/ });
  t.match(parseHeartbeatRequest('/hb/x/success?exit=1.5'), { ok: false, httpStatus: 400 });
  t.match(parseHeartbeatRequest('/metrics'), { ok: false, httpStatus: 404 });
});

t.test('evaluate: success, failure, started but never finished, too short', async (t) => {
  const t0 = Date.UTC(2026, 10, 24, 22, 0, 0);
  const ok = [{ type: 'start' as const, at: t0 }, { type: 'success' as const, at: t0 + 40 * 60_000, durationMs: 40 * 60_000, sizeBytes: 5e9 }];
  t.match(evaluateHeartbeat(ok, config, t0 + HOUR), { status: 'OK', metrics: { duration_s: 2400, size_bytes: 5e9, age_s: 1200 } });
  t.match(evaluateHeartbeat([], config, t0), { status: 'CRIT', message: 'backup job nightly-db (no report received yet): no backup found' });

  const failed = [...ok, { type: 'start' as const, at: t0 + DAY }, { type: 'fail' as const, at: t0 + DAY + 60_000, exitCode: 3 }];
  t.match(evaluateHeartbeat(failed, config, t0 + DAY + HOUR), { status: 'CRIT', message: /the last run failed with exit code 3 59 min ago/ });

  const hanging = [...ok, { type: 'start' as const, at: t0 + DAY }];
  t.match(evaluateHeartbeat(hanging, config, t0 + DAY + HOUR), { status: 'OK', message: /a run is in progress for 1 h/ });
  t.match(evaluateHeartbeat(hanging, { ...config, maxRunTime: '6h' }, t0 + DAY + 6 * HOUR + 1), {
    status: 'CRIT',
    message: /a run started 6 h ago and never finished \(limit 6 h\)/,
  });

  const short = [{ type: 'success' as const, at: t0, durationMs: 3000 }];
  t.match(evaluateHeartbeat(short, { ...config, minRunTime: '5m' }, t0 + HOUR), { status: 'WARN', message: /its run took only 3 s \(expected at least 5 min\)/ });
  const small = [{ type: 'success' as const, at: t0 - DAY, sizeBytes: 5e9 }, { type: 'success' as const, at: t0, sizeBytes: 1e6 }];
  t.match(evaluateHeartbeat(small, { ...config, maxShrinkPercent: 50 }, t0 + HOUR), { status: 'WARN', message: /100 % smaller than the backup before/ });
  t.match(evaluateHeartbeat([{ type: 'success', at: t0, exitCode: 1 }], config, t0 + HOUR), { status: 'WARN', message: /reported success with exit code 1/ });
});

t.test('a real listener on 127.0.0.1: scripts report with curl and the probe reads the state', async (t) => {
  const stateDir = tempDir(t);
  let now = Date.UTC(2026, 10, 24, 22, 0, 0);
  const listener = await startHeartbeatListener({ stateDir, port: 0, clock: () => now });
  t.teardown(() => listener.close());
  const base = `http://127.0.0.1:${listener.port}`;
  // The way backup scripts call it; async, since the listener answers from this very process.
  const curl = async (path: string) => (await promisify(execFile)('curl', ['-fsS', `${base}${path}`])).stdout;

  t.equal(await curl('/hb/nightly-db/start'), 'OK\n');
  now += 42 * 60_000;
  t.equal(await curl('/hb/nightly-db/success?exit=0&size=5368709120'), 'OK\n');
  const ctx = testContext({ stateDir, clock: () => now + HOUR });
  const outcome = await backup.run(config, ctx);
  t.equal(outcome.status, 'OK', outcome.message);
  t.equal(outcome.message, 'backup job nightly-db: last success, 1 h old, 5.0 GiB');
  t.same(outcome.metrics, { duration_s: 2520, age_s: 3600, size_bytes: 5368709120 }, 'the duration is measured from the start event');

  const post = await request(`${base}/hb/nightly-db/fail?exit=2`, { method: 'POST', body: 'log tail…' });
  t.equal(post.statusCode, 200);
  await post.body.dump();
  t.match(await backup.run(config, ctx), { status: 'CRIT', message: /the last run failed with exit code 2/ });

  const bad = await request(`${base}/hb/nightly-db/oops`);
  t.equal(bad.statusCode, 404);
  t.match(await bad.body.text(), /use start, success or fail/);
  const put = await request(`${base}/hb/nightly-db/start`, { method: 'PUT' });
  t.equal(put.statusCode, 405);
  await put.body.dump();

  const state = JSON.parse(readFileSync(heartbeatStatePath(stateDir), 'utf8'));
  t.same(state.jobs['nightly-db'].map((e: { type: string }) => e.type), ['start', 'success', 'fail']);
});

t.test('concurrent reports are all stored', async (t) => {
  const stateDir = tempDir(t);
  const listener = await startHeartbeatListener({ stateDir, port: 0 });
  t.teardown(() => listener.close());
  await Promise.all(
    Array.from({ length: 20 }, async (_, i) => {
      const r = await request(`http://127.0.0.1:${listener.port}/hb/job-${i % 4}/success?size=${i}`);
      await r.body.dump();
    }),
  );
  const state = JSON.parse(readFileSync(heartbeatStatePath(stateDir), 'utf8'));
  t.equal(Object.values(state.jobs).flat().length, 20);
});

t.test('a corrupt state file is UNKNOWN for the probe, and the listener starts over', async (t) => {
  const stateDir = tempDir(t);
  writeFileSync(heartbeatStatePath(stateDir), '{"version":1,"jobs":{"nightly-db":"garbage"}}');
  t.match(await backup.run(config, testContext({ stateDir })), { status: 'UNKNOWN', message: /cannot read the heartbeat state .*malformed/ });
  const listener = await startHeartbeatListener({ stateDir, port: 0 });
  t.teardown(() => listener.close());
  const r = await request(`http://127.0.0.1:${listener.port}/hb/nightly-db/success`);
  t.equal(r.statusCode, 200);
  await r.body.dump();
  t.equal((await backup.run(config, testContext({ stateDir, clock: Date.now }))).status, 'OK');
});

t.test('a port already in use is an error at start, not a silent listener', async (t) => {
  const stateDir = tempDir(t);
  const first = await startHeartbeatListener({ stateDir, port: 0 });
  t.teardown(() => first.close());
  await t.rejects(startHeartbeatListener({ stateDir, port: first.port }), { code: 'EADDRINUSE' });
});
