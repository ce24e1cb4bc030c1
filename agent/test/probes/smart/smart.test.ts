import t from 'tap';
import { execFileSync } from 'node:child_process';
import { renderResultMessage } from '@nines/shared';
import { fixture } from '../../helpers/fixtures.ts';
import { parseDevice, parseScan, SmartProbeError } from '../../../src/probes/smart/parse.ts';
import { evaluateDisk, evaluateSmart, smartLimits } from '../../../src/probes/smart/evaluate.ts';
import { smart } from '../../../src/checks/smart.ts';
import { execProgram } from '../../../src/exec.ts';
import { recordedExec, testContext } from '../backup/context.ts';

const config = { kind: 'smart' as const, id: 'disks' };
const read = (name: string, device: string) => parseDevice(fixture('smartctl', name), device);
/** A raw ATA attribute value of a fixture, so expectations come from the captured values, not from copies of them. */
const rawAttribute = (name: string, id: number) => (JSON.parse(fixture('smartctl', name)) as { ata_smart_attributes: { table: { id: number; raw: { value: number } }[] } }).ata_smart_attributes.table.find((a) => a.id === id)!.raw.value;
const HITACHI = 'hdd-failing-hitachi.json'; // real: Reallocated_Sector_Ct failed "now", smart_status FAILED

t.test('parse: scan lists the disks with their types; an empty scan is an empty list', async (t) => {
  t.same(parseScan(fixture('smartctl', 'scan-two.json')), [{ name: '/dev/sda', type: 'sat' }, { name: '/dev/nvme0', type: 'nvme' }]);
  t.same(parseScan(fixture('smartctl', 'scan-none.json')), []);
  t.throws(() => parseScan('smartctl: unknown option -j'), SmartProbeError, 'text instead of JSON: an old smartctl');
});

t.test('parse: NVMe and SATA facts', async (t) => {
  const nvme = read('nvme-healthy.json', '/dev/nvme0');
  t.match(nvme, { device: '/dev/nvme0', protocol: 'NVMe', model: 'PELADN 512GB', passed: true, temperatureC: 61, percentUsed: 0, mediaErrors: 0, criticalWarning: 0, powerOnHours: 4399 });
  const sata = read('sata-ssd-healthy.json', '/dev/sda');
  t.match(sata, { protocol: 'ATA', passed: true, reallocatedSectors: 0, pendingSectors: 0, uncorrectableSectors: 0, temperatureC: 31, failingAttributes: [] });
  const hdd = read(HITACHI, '/dev/sdc');
  t.match(hdd, {
    device: '/dev/sdc', protocol: 'ATA', model: 'Hitachi HDS721050DLE630', passed: false, failingAttributes: ['Reallocated_Sector_Ct'],
    reallocatedSectors: rawAttribute(HITACHI, 5), pendingSectors: rawAttribute(HITACHI, 197), uncorrectableSectors: rawAttribute(HITACHI, 198),
    temperatureC: 25, powerOnHours: 65592,
  }, 'a real failing disk behind a USB bridge: exit status 216 (bits 3, 4, 6, 7) is data, not a read failure');
  const media = read('nvme-media-errors.json', '/dev/nvme0');
  t.match(media, { protocol: 'NVMe', model: 'Samsung SSD 970 EVO 500GB', passed: true, mediaErrors: 7, percentUsed: 3, criticalWarning: 0, temperatureC: 35 });
});

t.test('parse: a disk that cannot be opened throws with smartctl\'s own reason, never reads as healthy', async (t) => {
  t.throws(() => read('permission-denied.json', '/dev/loop0'), { message: /Permission denied \(reading SMART data needs root/ });
  t.throws(() => read('open-failed.json', '/dev/sda'), { message: /open device: \/dev\/sda failed: No such device/ });
  t.throws(() => parseDevice('', '/dev/sda'), SmartProbeError);
  t.throws(() => parseDevice('{"smartctl":{"exit_status":4}}', '/dev/sda'), { message: /read nothing from \/dev\/sda/ }, 'SMART command failed, no data');
});

t.test('evaluate: each state per disk', async (t) => {
  const nvme = read('nvme-healthy.json', '/dev/nvme0');
  t.equal(evaluateDisk(nvme, smartLimits({}, 'NVMe')).status, 'OK', '61 °C is normal for NVMe');
  t.equal(evaluateDisk(nvme, smartLimits({ warnTemperatureC: 60 }, 'NVMe')).status, 'WARN', 'a configured limit applies');
  const sata = read('sata-ssd-healthy.json', '/dev/sda');
  t.equal(evaluateDisk(sata, smartLimits({}, 'ATA')).status, 'OK', 'exit status 64 (error log entries) alone is not a finding');
  t.same(evaluateDisk({ ...sata, reallocatedSectors: 8 }, smartLimits({}, 'ATA')), { status: 'WARN', findings: { reallocated: 8 } });
  t.equal(evaluateDisk({ ...sata, pendingSectors: 10 }, smartLimits({}, 'ATA')).status, 'CRIT');
  t.equal(evaluateDisk({ ...sata, temperatureC: 58 }, smartLimits({}, 'ATA')).status, 'WARN', '58 °C is hot for a SATA disk');
  const worn = evaluateDisk(read('nvme-worn.json', '/dev/nvme1'), smartLimits({}, 'NVMe'));
  t.same(worn, { status: 'CRIT', findings: { percentUsed: 97, percentUsedLimit: 95, mediaErrors: 3, temperatureC: 74, temperatureLimitC: 70 } });
  // The Hitachi's own verdict is FAILED (CRIT by itself); 1975 reallocated sectors pass the crit limit of 100, its
  // 8 pending sectors lie between warn 1 and crit 10, and 0 offline-uncorrectable is no finding at all.
  const failing = evaluateDisk(read(HITACHI, '/dev/sdc'), smartLimits({}, 'ATA'));
  t.equal(failing.status, 'CRIT');
  t.same(failing.findings, { failed: 1, failedAttribute: 'Reallocated_Sector_Ct', reallocated: rawAttribute(HITACHI, 5), pending: rawAttribute(HITACHI, 197) });
  // 7 NVMe media errors reach warnMediaErrors (1) while the drive still says PASSED and has used 3 % of its life: WARN, not OK
  const mediaVerdict = evaluateDisk(read('nvme-media-errors.json', '/dev/nvme0'), smartLimits({}, 'NVMe'));
  t.same(mediaVerdict, { status: 'WARN', findings: { mediaErrors: 7 } });
  t.equal(evaluateDisk({ ...nvme, criticalWarning: 4 }, smartLimits({}, 'NVMe')).status, 'CRIT', 'NVMe reliability degraded');
});

t.test('evaluate: the worst disk names the result; an unreadable disk is UNKNOWN, never OK', async (t) => {
  const nvme = { device: '/dev/nvme0', health: read('nvme-healthy.json', '/dev/nvme0') };
  const sata = { device: '/dev/sda', health: read('sata-ssd-healthy.json', '/dev/sda') };
  const hdd = { device: '/dev/sdc', health: read(HITACHI, '/dev/sdc') };
  const denied = { device: '/dev/sdc', error: 'smartctl cannot read /dev/sdc: Permission denied' };

  const ok = evaluateSmart([sata, nvme], config);
  t.match(ok, { status: 'OK', code: 'smart.health', message: '2 disks healthy (warmest 61 °C)', metrics: { disks: 2, max_temperature_c: 61, reallocated_sectors: 0 } });
  t.equal(renderResultMessage(ok.code, ok.params, 'de', ''), '2 Festplatten in Ordnung (wärmste 61 °C)');

  const bad = evaluateSmart([sata, hdd, denied], config);
  t.equal(bad.status, 'CRIT');
  t.match(bad.message, new RegExp(`^disk /dev/sdc \\(Hitachi HDS721050DLE630\\): the disk reports its own health check FAILED; .*${rawAttribute(HITACHI, 5)} reallocated sectors; ${rawAttribute(HITACHI, 197)} pending sectors.* — 1 disk unreadable$`));
  t.match(renderResultMessage(bad.code, bad.params, 'de', ''), new RegExp(`^Festplatte /dev/sdc .*NICHT BESTANDEN.*${rawAttribute(HITACHI, 5)} ersetzte Sektoren`));

  const unknown = evaluateSmart([sata, denied], config);
  t.match(unknown, { status: 'UNKNOWN', code: 'smart.probe_failed', params: { device: '/dev/sdc' } });
  t.match(evaluateSmart([], config), { status: 'UNKNOWN', code: 'smart.no_disks' });
});

t.test('check: scans, reads each disk with its scanned type, and reports not-installed as UNKNOWN', async (t) => {
  const calls: { file: string; args: readonly string[] }[] = [];
  const outputs: Record<string, string> = {
    '--scan': fixture('smartctl', 'scan-two.json'),
    '/dev/sda': fixture('smartctl', 'sata-ssd-healthy.json'),
    '/dev/nvme0': fixture('smartctl', 'nvme-healthy.json'),
  };
  const exec = async (file: string, args: readonly string[]) => {
    calls.push({ file, args });
    const key = args.includes('--scan') ? '--scan' : args[args.length - 1]!;
    return { code: key === '/dev/sda' ? 64 : 0, stdout: outputs[key] ?? '', stderr: '' };
  };
  const outcome = await smart.run(config, testContext({ exec }));
  t.equal(outcome.status, 'OK', outcome.message);
  t.same(calls.map((c) => c.args), [['--scan', '-j'], ['-j', '-a', '-d', 'sat', '/dev/sda'], ['-j', '-a', '-d', 'nvme', '/dev/nvme0']]);

  const missing = await smart.run(config, testContext({ exec: recordedExec({ code: null, failure: 'not-found', failureMessage: 'smartctl is not installed' }) }));
  t.match(missing, { status: 'UNKNOWN', code: 'smart.probe_failed', message: /smartctl is not installed \(package smartmontools\)/ });
});

const smartctlHere = (() => {
  try {
    return execFileSync('smartctl', ['--version'], { encoding: 'utf8' }).startsWith('smartctl');
  } catch {
    return false;
  }
})();

t.test('real smartctl: its --scan JSON parses, and a device it cannot open is UNKNOWN with its reason', { skip: !smartctlHere && 'smartctl is not installed here (apt-get install smartmontools)' }, async (t) => {
  const ctx = testContext({ exec: execProgram });
  const scanned = parseScan((await execProgram('smartctl', ['--scan', '-j'], { timeoutMs: 10_000 })).stdout);
  t.ok(Array.isArray(scanned), `scan parsed: ${scanned.length} disks`);
  const outcome = await smart.run({ ...config, devices: ['/dev/nines-no-such-disk'] }, ctx);
  t.match(outcome, { status: 'UNKNOWN', code: 'smart.probe_failed', params: { device: '/dev/nines-no-such-disk' } });
  t.match(outcome.message, /smartctl cannot read \/dev\/nines-no-such-disk: /);
});

t.test('an assigned smart check may not name its own smartctl or pass options as devices', async (t) => {
  const { programsOf, refusedPrograms } = await import('../../../src/program-policy.ts');
  const { checkConfigErrors } = await import('@nines/shared');
  const assigned = { ...config, program: '/tmp/not-smartctl' };
  t.same(programsOf(assigned), ['/tmp/not-smartctl']);
  t.same(refusedPrograms(assigned, []), ['/tmp/not-smartctl'], 'refused unless allowPrograms lists it');
  t.same(programsOf(config), [], 'smartctl on PATH needs no allowance');
  t.match(checkConfigErrors({ ...config, devices: ['--smart=off'] }), [/\/devices\/0/]);
  t.same(checkConfigErrors({ ...config, devices: ['/dev/sda'] }), []);
});
