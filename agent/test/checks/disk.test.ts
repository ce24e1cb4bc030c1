import t from 'tap';
import { evaluateDisk, disk } from '../../src/checks/disk.ts';
import { runCheck } from '../../src/runner.ts';
import { execProgram } from '../../src/exec.ts';
import { pino } from 'pino';

const GiB = 1024 ** 3;
const config = { kind: 'disk' as const, id: 'root', path: '/' };

t.test('evaluateDisk grades used percent against the default 80/90 thresholds', async (t) => {
  t.equal(evaluateDisk({ totalBytes: 100 * GiB, freeBytes: 21 * GiB }, config).status, 'OK');
  t.equal(evaluateDisk({ totalBytes: 100 * GiB, freeBytes: 20 * GiB }, config).status, 'WARN');
  const crit = evaluateDisk({ totalBytes: 100 * GiB, freeBytes: 10 * GiB }, config);
  t.equal(crit.status, 'CRIT');
  t.match(crit.message, /90 % used, 10.0 GiB free of 100.0 GiB \(over 90 % used\)/);
  t.same(crit.metrics, { used_percent: 90, free_bytes: 10 * GiB, total_bytes: 100 * GiB });
});

t.test('absolute free-space thresholds raise the status on large disks', async (t) => {
  const big = { totalBytes: 10_000 * GiB, freeBytes: 2_500 * GiB };
  t.equal(evaluateDisk(big, { ...config, warnFreeBytes: 3_000 * GiB }).status, 'WARN');
  t.equal(evaluateDisk(big, { ...config, critFreeBytes: 3_000 * GiB }).status, 'CRIT');
  t.equal(evaluateDisk(big, { ...config, warnFreeBytes: 1_000 * GiB }).status, 'OK');
});

t.test('the real disk check reads this machine', async (t) => {
  const outcome = await disk.run(config);
  t.not(outcome.status, 'UNKNOWN');
  t.ok(outcome.metrics!.total_bytes! > 0);
});

t.test('a path that does not exist is UNKNOWN with the reason', async (t) => {
  const result = await runCheck({ ...config, path: '/no/such/path' }, { clock: Date.now, exec: execProgram, log: pino({ level: 'silent' }), stateDir: '/tmp' });
  t.equal(result.status, 'UNKNOWN');
  t.match(result.message, /ENOENT/);
});
