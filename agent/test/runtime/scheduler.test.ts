import t from 'tap';
import { pino } from 'pino';
import { Scheduler, effectiveInterval } from '../../src/scheduler.ts';
import { execProgram } from '../../src/exec.ts';
import { checkRegistry } from '../../src/checks/index.ts';
import type { UnsequencedResult } from '@nines/shared';

const base = { clock: Date.now, exec: execProgram, log: pino({ level: 'silent' }), stateDir: '/tmp', random: () => 0 };

t.test('intervals: own, else the kind default, never below 10 s', async (t) => {
  t.equal(effectiveInterval({ kind: 'tcp', id: 'a', host: 'h', port: 1 }), 60_000);
  t.equal(effectiveInterval({ kind: 'tcp', id: 'a', host: 'h', port: 1, interval: '5m' }), 300_000);
  t.equal(effectiveInterval({ kind: 'tcp', id: 'a', host: 'h', port: 1, interval: '1s' }), 10_000);
  t.equal(effectiveInterval({ kind: 'patch', id: 'p' } as never), 3_600_000, 'patch checks default to hourly');
});

t.test('concurrency is bounded: with a pool of 2, a third check waits for a free slot', async (t) => {
  let running = 0;
  let peak = 0;
  const release: (() => void)[] = [];
  const original = checkRegistry.disk.run;
  checkRegistry.disk.run = async () => {
    running++;
    peak = Math.max(peak, running);
    await new Promise<void>((r) => release.push(r));
    running--;
    return { status: 'OK', message: 'ok' };
  };
  t.teardown(() => void (checkRegistry.disk.run = original));
  const results: UnsequencedResult[] = [];
  const scheduler = new Scheduler({ ...base, concurrency: 2, onResult: (r) => results.push(r) });
  scheduler.setChecks(['a', 'b', 'c'].map((id) => ({ kind: 'disk' as const, id, path: '/' })));
  for (let i = 0; i < 50 && release.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
  t.equal(peak, 2, 'two run at once');
  t.equal(release.length, 2, 'the third waits');
  release.shift()!();
  for (let i = 0; i < 50 && release.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
  t.equal(results.length, 1);
  t.equal(release.length, 2, 'the third started when a slot freed');
  const stopping = scheduler.stop();
  while (release.length) release.shift()!();
  await stopping;
  t.equal(peak, 2);
});

t.test('setChecks keeps unchanged checks, drops removed ones, and disabled checks never run', async (t) => {
  const scheduler = new Scheduler({ ...base, concurrency: 2, onResult: () => {} });
  scheduler.setChecks([
    { kind: 'disk', id: 'a', path: '/' },
    { kind: 'disk', id: 'b', path: '/', enabled: false },
  ]);
  t.same(scheduler.checkIds, ['a']);
  scheduler.setChecks([{ kind: 'disk', id: 'c', path: '/' }]);
  t.same(scheduler.checkIds, ['c']);
  await scheduler.stop();
  t.same(scheduler.checkIds, []);
});
