import t from 'tap';
import { readFileSync } from 'node:fs';
import { evaluateMemory, memory, parseMeminfo } from '../../src/checks/memory.ts';
import { evaluateLoad, load } from '../../src/checks/load.ts';

const GiB = 1024 ** 3;
const config = { kind: 'memory' as const, id: 'mem' };

t.test('meminfo: MemAvailable, not MemFree, decides', async (t) => {
  const text = 'MemTotal:        8000000 kB\nMemFree:          200000 kB\nMemAvailable:    4000000 kB\nSwapTotal:       1000000 kB\nSwapFree:         250000 kB\n';
  t.same(parseMeminfo(text), { totalBytes: 8_192_000_000, availableBytes: 4_096_000_000, swapTotalBytes: 1_024_000_000, swapFreeBytes: 256_000_000 });
  t.equal(parseMeminfo('MemTotal: 1 kB\n'), null, 'kernels without MemAvailable fall back to os.freemem');
  t.ok(parseMeminfo(readFileSync('/proc/meminfo', 'utf8')), 'this machine\'s /proc/meminfo parses');
});

t.test('memory thresholds, with swap optional', async (t) => {
  const usage = { totalBytes: 16 * GiB, availableBytes: 1 * GiB, swapTotalBytes: 4 * GiB, swapFreeBytes: 1 * GiB };
  const outcome = evaluateMemory(usage, config);
  t.equal(outcome.status, 'WARN');
  t.equal(outcome.message, 'memory 93.8 % used, 1.0 GiB available of 16.0 GiB, swap 75 % used (over 90 % used)');
  t.same(outcome.metrics, { used_percent: 93.8, available_bytes: GiB, total_bytes: 16 * GiB, swap_used_percent: 75 });
  t.equal(evaluateMemory({ ...usage, availableBytes: 0.5 * GiB }, config).status, 'CRIT');
  t.equal(evaluateMemory({ ...usage, availableBytes: 8 * GiB }, config).status, 'OK');
  t.equal(evaluateMemory({ ...usage, availableBytes: 8 * GiB }, { ...config, critSwapUsedPercent: 70 }).status, 'CRIT');
});

t.test('the real memory check reads this machine', async (t) => {
  const outcome = await memory.run(config);
  t.not(outcome.status, 'UNKNOWN');
  t.ok(outcome.metrics!.total_bytes! > 0);
});

t.test('load per CPU on the 5-minute average', async (t) => {
  const cfg = { kind: 'load' as const, id: 'load' };
  t.equal(evaluateLoad({ load: [9, 3, 1], cpus: 4 }, cfg, 'linux').status, 'OK', 'a 1-minute burst alone does not warn');
  const warn = evaluateLoad({ load: [9, 9, 4], cpus: 4 }, cfg, 'linux');
  t.equal(warn.status, 'WARN');
  t.equal(warn.message, 'load 9.00, 9.00, 4.00 on 4 CPUs (2.25 per CPU over 5 min): ≥ 2 per CPU');
  t.equal(evaluateLoad({ load: [20, 17, 9], cpus: 4 }, cfg, 'linux').status, 'CRIT');
  t.equal(evaluateLoad({ load: [0, 0, 0], cpus: 4 }, cfg, 'win32').status, 'UNKNOWN');
  const real = await load.run(cfg);
  t.type(real.metrics!.load5, 'number');
});
