import t from 'tap';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { command, evaluatePluginRun, metricName, parsePerfdata, parsePluginOutput } from '../../src/checks/command.ts';
import { runCheck } from '../../src/runner.ts';
import { fixture } from '../helpers/fixtures.ts';
import { checkContext, runnerDeps } from './helpers/context.ts';

/** A fixture's output with the exit code its source line records. */
function pluginRun(name: string, exitCode: number) {
  return evaluatePluginRun(exitCode, fixture('nagios', name), '');
}

t.test('real monitoring-plugins output: status from the exit code, message, perfdata as metrics', async (t) => {
  const load = pluginRun('check_load-ok.txt', 0);
  t.equal(load.status, 'OK');
  t.match(load.message, /^LOAD OK - total load average: [\d.]+, [\d.]+, [\d.]+$/);
  t.same(Object.keys(load.metrics!), ['load1', 'load5', 'load15']);
  const disk = pluginRun('check_disk-ok.txt', 0);
  t.same(Object.keys(disk.metrics!), ['root_bytes']);
  t.equal(disk.metrics!.root_bytes, 24563941376);
  t.match(pluginRun('check_procs-ok.txt', 0), { status: 'OK', metrics: { procs: Number } });
  t.match(pluginRun('check_swap-critical.txt', 2), { status: 'CRIT', message: /^SWAP CRITICAL - 0% free/, metrics: { swap_bytes: 0 } });
  t.match(pluginRun('check_dummy-warning.txt', 1), { status: 'WARN', message: 'WARNING: disk nearly full', metrics: {} });
  t.match(pluginRun('check_dummy-unknown.txt', 3), { status: 'UNKNOWN', message: 'UNKNOWN: no data from UPS' });
  t.match(pluginRun('check_tcp-refused.txt', 2), { status: 'CRIT', message: /Connection refused/ });
  t.match(pluginRun('check_disk-not-accessible.txt', 2), { status: 'CRIT', message: /is not accessible/ });
});

t.test('multi-line output: long text, and perfdata continued after a "|" in it', async (t) => {
  const output = parsePluginOutput(fixture('nagios', 'multiline-long-text.txt'));
  t.equal(output.summary, 'DISK OK - free space: / 3326 MB (56%);');
  t.same(output.longText, ['/ 15272 MB (77%);', '/boot 68 MB (69%);', '/home 69357 MB (27%);', '/var/log 819 MB (84%);']);
  t.same(output.perfdata.map((p) => [p.label, p.value, p.uom]), [['/', 2643, 'MB'], ['/boot', 68, 'MB'], ['/home', 69357, 'MB'], ['/var/log', 818, 'MB']]);
  t.match(output.perfdata[1], { warn: '88', crit: '93', min: 0, max: 98 });
  const metrics = evaluatePluginRun(0, fixture('nagios', 'multiline-long-text.txt'), '').metrics;
  t.same(metrics, { root_mb: 2643, boot_mb: 68, home_mb: 69357, var_log_mb: 818 });
});

t.test('perfdata edge cases: quoted labels, U values, units, garbage', async (t) => {
  t.same(parsePerfdata("'Free Space C:'=12.5GB;5;2 time=0.03s 'it''s'=1 bad=U junk x=abc"), [
    { label: 'Free Space C:', value: 12.5, uom: 'GB', warn: '5', crit: '2' },
    { label: 'time', value: 0.03, uom: 's' },
    { label: "it's", value: 1, uom: '' },
  ]);
  t.equal(metricName('Free Space C:', 'GB'), 'free_space_c_gb');
  t.equal(metricName('time', 's'), 'time_s');
  t.equal(metricName('latency_ms', 'ms'), 'latency_ms', 'no double unit');
  t.equal(metricName('5min', '%'), 'm_5min_percent');
  t.equal(metricName('/', 'B'), 'root_bytes');
  t.equal(metricName('hits', 'c'), 'hits_count');
});

t.test('an exit code outside 0-3 is UNKNOWN', async (t) => {
  t.match(evaluatePluginRun(127, '', 'sh: 1: check_foo: not found\n'), { status: 'UNKNOWN', message: /exit code 127 is not a plugin status \(0–3\): sh: 1: check_foo: not found/ });
});

t.test('real programs: exit codes, env, cwd, timeout, missing program, runaway output', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nines-cmd-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const script = join(dir, 'check_backup.mjs');
  writeFileSync(script, `
    const age = Number(process.env.BACKUP_AGE_H);
    console.log(\`BACKUP \${age > 24 ? 'CRITICAL' : 'OK'} - last run \${age} h ago in \${process.cwd()} | age=\${age * 3600}s;86400;172800;0\`);
    process.exit(age > 24 ? 2 : 0);
  `);
  const run = async (config: Partial<Parameters<typeof command.run>[0]>, timeoutMs = 5_000) => {
    const ctx = checkContext({ timeoutMs });
    try {
      return await command.run({ kind: 'command', id: 'c', command: [process.execPath, script], ...config }, ctx);
    } finally {
      ctx.dispose();
    }
  };
  const ok = await run({ env: { BACKUP_AGE_H: '3' }, cwd: dir });
  t.equal(ok.status, 'OK');
  t.equal(ok.message, `BACKUP OK - last run 3 h ago in ${dir}`);
  t.same(ok.metrics, { age_s: 10800 });
  t.equal((await run({ env: { BACKUP_AGE_H: '30' } })).status, 'CRIT');

  const hang = await runCheck({ kind: 'command', id: 'hang', command: [process.execPath, '-e', 'setTimeout(() => {}, 60000)'], timeout: 300 }, runnerDeps);
  t.equal(hang.status, 'UNKNOWN');
  t.match(hang.message, /did not finish within 300 ms/);

  const missing = await run({ command: ['/usr/lib/nagios/plugins/check_nines_missing'] });
  t.equal(missing.status, 'UNKNOWN');
  t.match(missing.message, /check_nines_missing is not installed/);

  const flood = await run({ command: [process.execPath, '-e', 'process.stdout.write("x".repeat(2 * 1024 * 1024))'] });
  t.equal(flood.status, 'UNKNOWN');
  t.match(flood.message, /output exceeded the limit/);
});

t.test('the schema rejects a shell string and points at the field', async (t) => {
  const { checkConfigErrors } = await import('@nines/shared');
  t.match(checkConfigErrors({ kind: 'command', id: 'c', command: '/usr/lib/nagios/plugins/check_disk -w 10%' }), [/^\/command: /]);
  t.match(checkConfigErrors({ kind: 'command', id: 'c', command: [] }), [/^\/command: /]);
});
