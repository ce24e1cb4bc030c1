import t from 'tap';
import { createServer, type Server } from 'node:net';
import { pino } from 'pino';
import { runCheck } from '../../src/runner.ts';
import { execProgram } from '../../src/exec.ts';
import { checkRegistry } from '../../src/checks/index.ts';
import { Value } from '@sinclair/typebox/value';
import { ResultSchema } from '@nines/shared';

const deps = { clock: Date.now, exec: execProgram, log: pino({ level: 'silent' }), stateDir: '/tmp' };

t.test('a check that throws becomes UNKNOWN with the reason, and the agent lives on', async (t) => {
  const original = checkRegistry.disk.run;
  checkRegistry.disk.run = async () => {
    throw new Error('kaboom');
  };
  t.teardown(() => void (checkRegistry.disk.run = original));
  const result = await runCheck({ kind: 'disk', id: 'd', path: '/' }, deps);
  t.equal(result.status, 'UNKNOWN');
  t.match(result.message, /check failed: kaboom/);
  t.match(result, { code: 'check.failed', params: { error: 'kaboom' } });
});

t.test('code and params are copied into the result within the wire bounds: bad keys dropped, long strings cut', async (t) => {
  const original = checkRegistry.disk.run;
  const params: Record<string, string | number> = { path: 'x'.repeat(500), 'bad key': 1, nan: Number.NaN };
  for (let i = 0; i < 20; i++) params[`k${i}`] = i;
  checkRegistry.disk.run = async () => ({ status: 'OK', message: 'fine', code: 'disk.usage', params });
  t.teardown(() => void (checkRegistry.disk.run = original));
  const result = await runCheck({ kind: 'disk', id: 'd', path: '/' }, deps);
  t.equal(result.code, 'disk.usage');
  t.equal((result.params!.path as string).length, 200);
  t.notOk('bad key' in result.params! || 'nan' in result.params!);
  t.equal(Object.keys(result.params!).length, 16);
  t.ok(Value.Check(ResultSchema, { ...result, seq: 1 }), 'the result is valid on the wire');

  checkRegistry.disk.run = async () => ({ status: 'OK', message: 'fine', code: 'Not A Code', params: {} });
  const dropped = await runCheck({ kind: 'disk', id: 'd', path: '/' }, deps);
  t.notOk('code' in dropped, 'an invalid code is dropped, the message stays');
  t.equal(dropped.message, 'fine');
});

t.test('a check that ignores its abort signal is given up on after timeout + grace', async (t) => {
  const original = checkRegistry.disk.run;
  checkRegistry.disk.run = () => new Promise(() => {});
  t.teardown(() => void (checkRegistry.disk.run = original));
  const started = Date.now();
  const result = await runCheck({ kind: 'disk', id: 'd', path: '/', timeout: 100 }, deps);
  t.equal(result.status, 'UNKNOWN');
  t.match(result.message, /did not finish within 100 ms/);
  t.match(result, { code: 'check.timeout', params: { timeoutMs: 100 } });
  t.ok(Date.now() - started < 5_000, 'bounded by the hard deadline');
});

t.test('a TCP target that accepts but never answers an HTTP request times out as CRIT', async (t) => {
  const sockets = new Set<import('node:net').Socket>();
  const server: Server = createServer((socket) => void sockets.add(socket));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.teardown(() => new Promise<void>((r) => {
    for (const s of sockets) s.destroy();
    server.close(() => r());
  }));
  const { port } = server.address() as { port: number };
  const result = await runCheck({ kind: 'http', id: 'slow', url: `http://127.0.0.1:${port}/`, timeout: 200 }, deps);
  t.equal(result.status, 'CRIT');
  t.match(result.message, /200 ms/);
  t.ok(result.finishedAt >= result.startedAt);
});

t.test('results carry the config name, finite metrics only, and a bounded message', async (t) => {
  const original = checkRegistry.disk.run;
  checkRegistry.disk.run = async () => ({ status: 'OK', message: 'x'.repeat(5000), metrics: { good: 1, bad: Number.NaN, inf: Infinity } });
  t.teardown(() => void (checkRegistry.disk.run = original));
  const result = await runCheck({ kind: 'disk', id: 'd', name: 'Root disk', path: '/' }, deps);
  t.equal(result.name, 'Root disk');
  t.same(result.metrics, { good: 1 });
  t.equal(result.message.length, 2000);
});

t.test('every result carries the interval its check runs at, so the collector knows how long it counts', async (t) => {
  const original = checkRegistry.disk.run;
  checkRegistry.disk.run = async () => ({ status: 'OK', message: 'fine' });
  t.teardown(() => void (checkRegistry.disk.run = original));
  t.equal((await runCheck({ kind: 'disk', id: 'd', path: '/', interval: '10s' }, deps)).intervalMs, 10_000, 'its own interval');
  t.equal((await runCheck({ kind: 'disk', id: 'd', path: '/', interval: '3m' }, deps)).intervalMs, 180_000);
  t.equal((await runCheck({ kind: 'disk', id: 'd', path: '/' }, deps)).intervalMs, 60_000, 'the default minute without one');
  const patch = await runCheck({ kind: 'patch', id: 'p', manager: 'apt' } as never, { ...deps, exec: async () => ({ code: 1, stdout: '', stderr: 'no apt' }) as never });
  t.equal(patch.intervalMs, 3_600_000, "the kind's own default (patch: hourly)");
});
