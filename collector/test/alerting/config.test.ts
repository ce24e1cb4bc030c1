import t from 'tap';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readConfigFile } from '../../src/settings.ts';
import { alertSettingsFrom } from '../../src/alerting/settings.ts';

const dir = mkdtempSync(join(tmpdir(), 'nines-alerting-config-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string) => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};

t.test('the configuration example in docs/alerting.md is a valid collector config, with the documented values', async (t) => {
  const doc = readFileSync(new URL('../../../docs/alerting.md', import.meta.url), 'utf8');
  const yaml = /## Configuration[\s\S]*?```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
  t.ok(yaml, 'the example is there');
  const config = readConfigFile(write('doc.yaml', yaml!.replace(/"…"/g, '"secret"')));
  t.equal(config.smtp?.fallback?.host, 'mail.other-provider.example');
  t.match(alertSettingsFrom(config.alerting), { budgetThresholds: [50, 100], budgetEveryMs: 300_000, fallbackAfter: 3, fallbackAfterTimeMs: 600_000 });
});

t.test('defaults, and thresholds sorted without duplicates', async (t) => {
  t.match(alertSettingsFrom(undefined), { budgetThresholds: [50, 100], budgetEveryMs: 300_000, fallbackAfter: 3, fallbackAfterTimeMs: 600_000 });
  t.same(alertSettingsFrom({ budgetThresholds: [100, 75, 75] }).budgetThresholds, [75, 100]);
  t.same(alertSettingsFrom({ budgetThresholds: [] }).budgetThresholds, []);
});

t.test('bad configs are refused with the path of the mistake', async (t) => {
  const base = 'smtp:\n  host: smtp.example.net\n  from: "A <a@example.net>"\n';
  t.throws(() => readConfigFile(write('b1.yaml', `${base}  fallback:\n    host: x.example\n    from: "B <b@x.example>"\n    fallback: {host: y, from: "c@y.example"}\n`)), /fallback/, 'a fallback has no fallback');
  t.throws(() => readConfigFile(write('b2.yaml', `${base}  fallback:\n    port: 25\n    from: "B <b@x.example>"\n`)), /host/, 'a fallback needs a host');
  t.throws(() => readConfigFile(write('b3.yaml', `alerting:\n  budgetThresholds: [0, 50]\n`)), /budgetThresholds/);
  t.throws(() => readConfigFile(write('b4.yaml', `alerting:\n  fallbackAfterTime: soon\n`)), /fallbackAfterTime/);
  t.throws(() => readConfigFile(write('b5.yaml', `alerting:\n  fallbackAfter: 0\n`)), /fallbackAfter/);
});
