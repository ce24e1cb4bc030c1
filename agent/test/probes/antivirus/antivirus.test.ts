import t from 'tap';
import { spawnSync } from 'node:child_process';
import { utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderResultMessage } from '@nines/shared';
import { fixture } from '../../helpers/fixtures.ts';
import { parseClamVersion, parseDefender, parseXProtectMeta, securityCenterState } from '../../../src/probes/antivirus/parse.ts';
import { evaluateAntivirus } from '../../../src/probes/antivirus/evaluate.ts';
import { runAntivirusCheck } from '../../../src/checks/antivirus.ts';
import { defenderScript, readFileInfo, XPROTECT_META_PATHS } from '../../../src/probes/antivirus/collect.ts';
import { execProgram, type ExecFn } from '../../../src/exec.ts';
import { tempDir, testContext } from '../backup/context.ts';

const NOON = Date.UTC(2026, 10, 25, 12, 0);
const config = { kind: 'antivirus' as const, id: 'av' };
const defender = (name: string) => parseDefender(JSON.parse(fixture('defender', name)));

t.test('parse: Defender status, "never" dates, threats, Security Center states', async (t) => {
  t.match(defender('healthy.json'), { product: 'Microsoft Defender', serviceOn: true, realTimeOn: true, passive: false, signaturesAt: Date.UTC(2026, 10, 25, 6, 12, 44), lastScanAt: Date.UTC(2026, 10, 23, 3, 14, 5) });
  const off = defender('realtime-off-threat.json');
  t.equal(off.lastScanAt, undefined, '0001-01-01 is "never"');
  t.same(off.threats, [{ name: 'Trojan:Win32/Wacatac.B!ml', at: Date.UTC(2026, 10, 25, 9, 41, 2) }]);
  t.same(securityCenterState(397568), { enabled: true, upToDate: true });
  t.same(securityCenterState(393472), { enabled: false, upToDate: true });
  t.match(defender('passive-third-party.json'), { passive: true, others: [{ name: 'ESET Security', enabled: true, upToDate: true }] });
  t.throws(() => parseDefender(null), /no object/);
});

const DAY_MS = 86_400_000;
/** A PowerShell 5.1 "/Date(ms)/" value of a fixture, read here so expectations come from the capture, not copies of it. */
const psDate = (text: string) => Number(/^\/Date\((-?\d+)\)\/$/.exec(text)![1]);

t.test('parse + evaluate: a real Windows Server 2016 with 13-day-old signatures and two EICAR detections', async (t) => {
  const raw = JSON.parse(fixture('defender', 'server2016-eicar.json')) as { status: Record<string, string | number>; threats: { Name: string; At: string }[] };
  const signaturesAt = psDate(raw.status.AntivirusSignatureLastUpdated as string);
  const detections = raw.threats.map((d) => psDate(d.At));
  const state = defender('server2016-eicar.json');
  t.match(state, { serviceOn: true, realTimeOn: true, passive: false, signaturesAt, lastScanAt: undefined, others: [] }, 'PowerShell 5.1 /Date(ms)/ dates are read, null scan times are "never"');
  t.same(state.threats, detections.map((at) => ({ name: 'Virus:DOS/EICAR_Test_File', at })));
  // Evaluated an hour after the last detection, as the capture was taken: Defender's own AntivirusSignatureAge (13 days)
  // and ours agree; 13 days is past the 7-day crit limit, the two detections lie in the 24 h window, no scan ever ran.
  const now = Math.max(...detections) + 3_600_000;
  t.equal(Math.floor((now - signaturesAt) / DAY_MS), raw.status.AntivirusSignatureAge, 'the capture is consistent with the chosen time');
  const outcome = evaluateAntivirus(state, config, now);
  t.equal(outcome.status, 'CRIT');
  t.match(outcome.params, { threats: detections.length, threatNames: 'Virus:DOS/EICAR_Test_File', signatureAgeMs: now - signaturesAt, signatureLimitMs: 7 * DAY_MS, neverScanned: 1 });
  t.equal(outcome.metrics?.threats, detections.length);
});

t.test('parse + evaluate: a real fresh Windows Server 2022: current signatures, but no scan has ever run', async (t) => {
  const raw = JSON.parse(fixture('defender', 'server2022-fresh.json')) as { status: Record<string, string | number> };
  const signaturesAt = psDate(raw.status.AntivirusSignatureLastUpdated as string);
  const state = defender('server2022-fresh.json');
  t.match(state, { serviceOn: true, realTimeOn: true, passive: false, signaturesAt, lastScanAt: undefined, threats: [] });
  // an hour after the update (Defender says age 0 days): signatures are fresh, the missing scan alone makes it WARN
  const outcome = evaluateAntivirus(state, config, signaturesAt + 3_600_000);
  t.match(outcome, { status: 'WARN', params: { neverScanned: 1, signatureAgeMs: 3_600_000 } });
  t.equal(outcome.params?.signatureLimitMs, undefined, 'fresh signatures are no finding');
});

t.test('parse + evaluate: a real Server 2016 RTM Defender with real-time protection off and no AMRunningMode', async (t) => {
  const raw = JSON.parse(fixture('defender', 'realtime-off-server2016-rtm.json')) as { status: { AntivirusSignatureLastUpdated: string } };
  const signaturesAt = Date.parse(raw.status.AntivirusSignatureLastUpdated);
  const state = defender('realtime-off-server2016-rtm.json');
  t.match(state, { serviceOn: true, realTimeOn: false, passive: false, signaturesAt }, 'a Defender too old to name its running mode is not taken for passive');
  // the list says AntivirusSignatureAge 1 (day): evaluated 25 h after the update, the signatures are fine (warn at 3 d);
  // real-time protection off is CRIT by itself, and no scan ever ran
  const outcome = evaluateAntivirus(state, config, signaturesAt + 25 * 3_600_000);
  t.equal(outcome.status, 'CRIT');
  t.match(outcome.params, { realTimeOff: 1, neverScanned: 1, signatureAgeMs: 25 * 3_600_000 });
  t.equal(outcome.params?.signatureLimitMs, undefined);
});

t.test('parse: clamscan --version with and without a database', async (t) => {
  t.same(parseClamVersion(fixture('clamscan', 'no-database.txt'), 0), { engine: '1.4.6' });
  t.same(parseClamVersion(fixture('clamscan', 'daily.txt'), 0), { engine: '1.4.6', dailyVersion: 27472, signaturesAt: Date.UTC(2026, 10, 24, 9, 27, 32) });
  t.equal(parseClamVersion(fixture('clamscan', 'daily.txt'), 60).signaturesAt, Date.UTC(2026, 10, 24, 8, 27, 32), 'ctime is local time');
  t.throws(() => parseClamVersion('clamscan: error while loading shared libraries', 0), /no version/);
});

t.test('evaluate: each state, with the plain words for the client', async (t) => {
  const ok = evaluateAntivirus(defender('healthy.json'), config, NOON);
  t.match(ok, { status: 'OK', message: 'antivirus Microsoft Defender on, signatures 5 h 47 min old' });
  const off = evaluateAntivirus(defender('realtime-off-threat.json'), config, NOON);
  t.equal(off.status, 'CRIT');
  t.match(off.params, { realTimeOff: 1, threats: 1, threatNames: 'Trojan:Win32/Wacatac.B!ml', signatureLimitMs: 7 * 86_400_000, neverScanned: 1 });
  t.match(renderResultMessage(off.code, off.params, 'de', ''), /^Virenschutz ist ausgeschaltet \(Microsoft Defender, Echtzeitschutz aus\); 1 Schädling gefunden in 1 T: Trojan:Win32\/Wacatac\.B!ml; Virendefinitionen 9 T 5 h alt/);
  t.equal(evaluateAntivirus(defender('realtime-off-threat.json'), config, NOON + 2 * 86_400_000).params?.threats, undefined, 'a detection leaves the 24 h window');
  t.match(evaluateAntivirus(defender('passive-third-party.json'), config, NOON), { status: 'OK', params: { product: 'ESET Security' } }, 'another enabled product protects');
  t.match(evaluateAntivirus(defender('absent.json'), config, NOON), { status: 'CRIT', params: { off: 1 }, message: /no virus scanner is running/ });
  const stale = evaluateAntivirus({ ...defender('healthy.json'), lastScanAt: NOON - 20 * 86_400_000 }, config, NOON);
  t.match(stale, { status: 'WARN', params: { scanLimitMs: 14 * 86_400_000 } });
  const clam = { product: 'ClamAV 1.4.6', scanner: 'clamav' as const, serviceOn: true, threats: [] };
  t.match(evaluateAntivirus(clam, config, NOON), { status: 'CRIT', params: { noSignatures: 1 } }, 'no database: nothing is recognised');
  t.match(evaluateAntivirus({ ...clam, signaturesAt: NOON - 3_600_000, realTimeOn: false }, config, NOON), { status: 'WARN', params: { daemonStopped: 1 } });
  t.match(evaluateAntivirus({ ...clam, signaturesAt: NOON - 3_600_000 }, config, NOON), { status: 'OK' }, 'no clamd installed: on-demand scanning is the setup');
});

t.test('check: Defender through PowerShell; a failure is UNKNOWN with the reason', async (t) => {
  const scripts: string[] = [];
  const exec: ExecFn = async (_f, args) => {
    scripts.push(args.at(-1)!);
    return { code: 0, stdout: fixture('defender', 'healthy.json'), stderr: '' };
  };
  const win = { platform: 'win32' as const, onPath: async () => undefined, processNames: async () => [], utcOffsetMinutes: () => 60, readFileInfo: async () => 'missing' as const };
  t.match(await runAntivirusCheck(config, testContext({ clock: () => NOON, exec }), win), { status: 'OK' });
  t.match(scripts[0], /Get-MpComputerStatus.*Get-MpThreatDetection.*SecurityCenter2.*ConvertTo-Json/);
  const ticks = BigInt(NOON - 86_400_000) * 10_000n + 621_355_968_000_000_000n;
  t.ok(defenderScript(NOON - 86_400_000).includes(`[DateTime]::new(${ticks})`));
  const broken: ExecFn = async () => ({ code: 1, stdout: '', stderr: 'powershell.exe: The term is not recognized' });
  t.match(await runAntivirusCheck(config, testContext({ clock: () => NOON, exec: broken }), win), { status: 'UNKNOWN', code: 'antivirus.probe_failed' });
});

const clamHere = spawnSync('clamscan', ['--version']).status === 0;

t.test('real clamscan: a database header the test writes is read; no database is CRIT, no clamscan UNKNOWN', { skip: !clamHere && 'clamscan is not installed (package clamav)' }, async (t) => {
  const dir = tempDir(t, 'nines-clamav-');
  const signed = Math.floor(Date.UTC(2026, 10, 24, 9, 27, 32) / 1000);
  // A .cld header: "ClamAV-VDB:build time:version:signatures:level:md5:dsig:builder:signing time", 512 bytes
  const header = `ClamAV-VDB:24 Nov 2026 09-27 +0000:27472:2071212:90:00000000000000000000000000000000:X:nines:${signed}`;
  writeFileSync(join(dir, 'daily.cld'), Buffer.concat([Buffer.from(header.padEnd(512, ' ')), Buffer.alloc(1024)]));
  const linux = { platform: 'linux' as const, onPath: async () => undefined, processNames: async () => [], utcOffsetMinutes: (at: number) => -new Date(at).getTimezoneOffset(), readFileInfo };
  const fresh = await runAntivirusCheck({ ...config, databaseDirectory: dir }, testContext({ clock: () => signed * 1000 + 3_600_000, exec: execProgram }), linux);
  t.match(fresh, { status: 'OK', params: { signatureAgeMs: 3_600_000 }, message: /^antivirus ClamAV \d+\.\d+\.\d+ on, signatures 1 h old$/ });
  const empty = tempDir(t, 'nines-clamav-empty-');
  t.match(await runAntivirusCheck({ ...config, databaseDirectory: empty }, testContext({ clock: () => NOON, exec: execProgram }), linux), { status: 'CRIT', params: { noSignatures: 1 } });
  const missing: ExecFn = (_file, args, options) => execProgram('/nonexistent/clamscan', args, options);
  t.match(await runAntivirusCheck(config, testContext({ exec: async (...a) => ({ ...(await missing(...a)), failure: 'not-found' as const }) }), linux), { status: 'UNKNOWN', message: /clamscan is not installed/ });
});

const DAY = 86_400_000;
const [SEQUOIA_META, CORESERVICES_META] = XPROTECT_META_PATHS as [string, string, string];

t.test('parse: XProtect.meta.plist (a real one) gives the rules version; other text is a clear error', async (t) => {
  t.same(parseXProtectMeta(fixture('xprotect', 'meta-2081.plist')), { version: '2081' });
  t.same(parseXProtectMeta('<plist version="1.0"><dict><key>GKChecks</key><dict/><key>Version</key>\n\t<integer>5325</integer></dict></plist>'), { version: '5325' }, 'the key last, as newer files sort them');
  t.throws(() => parseXProtectMeta('<plist version="1.0"><dict><key>MinimumPlugInBundleVersion</key><string>14.8.0</string></dict></plist>'), /names no Version/);
  t.throws(() => parseXProtectMeta('defaults: not a plist'), /not an XML property list/);
});

t.test('evaluate: XProtect by the age of its rules, with weekly-update defaults; no scan age', async (t) => {
  const xp = { product: 'XProtect 2081', scanner: 'xprotect' as const, serviceOn: true, threats: [] };
  t.match(evaluateAntivirus({ ...xp, signaturesAt: NOON - 5 * DAY }, config, NOON), { status: 'OK', message: 'antivirus XProtect 2081 on, signatures 5 d old' });
  const warn = evaluateAntivirus({ ...xp, signaturesAt: NOON - 20 * DAY }, config, NOON);
  t.match(warn, { status: 'WARN', params: { signatureAgeMs: 20 * DAY, signatureLimitMs: 14 * DAY } });
  t.equal(warn.params?.neverScanned, undefined, 'XProtect reports no scans: none is asked for');
  t.match(evaluateAntivirus({ ...xp, signaturesAt: NOON - 40 * DAY }, config, NOON), { status: 'CRIT', params: { signatureLimitMs: 30 * DAY } });
  t.match(evaluateAntivirus({ ...xp, signaturesAt: NOON - 5 * DAY }, { ...config, signatureWarnAge: '3d', signatureCritAge: '4d' }, NOON), { status: 'CRIT', params: { signatureLimitMs: 4 * DAY } }, 'the consultant\'s limits win');
  t.match(evaluateAntivirus({ ...xp, signaturesAt: NOON - 5 * DAY }, config, NOON), { metrics: { signature_age_s: 5 * 86_400, threats: 0 } });
});

t.test('check: XProtect on macOS from the files on disk (real reads of files the test writes)', async (t) => {
  const dir = tempDir(t, 'nines-xprotect-');
  const place = (name: string, text: string | Buffer, modifiedAt: number) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    utimesSync(path, modifiedAt / 1000, modifiedAt / 1000);
    return path;
  };
  const files = new Map<string, string>();
  const mac = (overrides: Partial<{ denied: string[] }> = {}) => ({
    platform: 'darwin' as const, onPath: async () => undefined, processNames: async () => [], utcOffsetMinutes: () => 0,
    // the macOS paths read from this test's directory: the real read, with the real modification time
    readFileInfo: async (path: string) => (overrides.denied?.includes(path) ? 'denied' as const : files.has(path) ? readFileInfo(files.get(path)!) : 'missing' as const),
  });
  const xml = fixture('xprotect', 'meta-2081.plist');
  files.set(CORESERVICES_META, place('core.plist', xml, NOON - 2 * DAY));
  t.match(await runAntivirusCheck(config, testContext({ clock: () => NOON }), mac()), { status: 'OK', params: { product: 'XProtect 2081', signatureAgeMs: 2 * DAY } }, 'Sonoma: only the CoreServices copy');

  files.set(SEQUOIA_META, place('sequoia.plist', xml.replace('<real>2081</real>', '<real>2079</real>'), NOON - 20 * DAY));
  t.match(await runAntivirusCheck(config, testContext({ clock: () => NOON }), mac()), { status: 'WARN', params: { product: 'XProtect 2079', signatureLimitMs: 14 * DAY } },
    'Sequoia: the copy XProtect uses wins over a newer one Software Update left in CoreServices');

  t.match(await runAntivirusCheck(config, testContext({ clock: () => NOON }), mac({ denied: [SEQUOIA_META] })), { status: 'OK', params: { product: 'XProtect 2081' } }, 'an unreadable copy is passed over');
  files.clear();
  t.match(await runAntivirusCheck(config, testContext({ clock: () => NOON }), mac({ denied: [SEQUOIA_META] })), { status: 'UNKNOWN', code: 'antivirus.probe_failed', message: /permission denied: \/var\/protected/ });
  t.match(await runAntivirusCheck(config, testContext({ clock: () => NOON }), mac()), { status: 'UNKNOWN', message: /XProtect\.meta\.plist was not found/ });

  files.set(CORESERVICES_META, place('binary.plist', Buffer.concat([Buffer.from('bplist00'), Buffer.alloc(32)]), NOON));
  t.match(await runAntivirusCheck(config, testContext({ clock: () => NOON, exec: execProgram }), mac()), { status: 'UNKNOWN', message: /plutil -convert xml1 .*XProtect\.meta\.plist/ },
    'a binary plist is converted with plutil; where it is missing (here, Linux) the check says so');
});

t.test('readFileInfo: bytes and modification time of a real file; a missing one is "missing"', async (t) => {
  const dir = tempDir(t, 'nines-fileinfo-');
  const path = join(dir, 'XProtect.meta.plist');
  writeFileSync(path, 'x');
  utimesSync(path, NOON / 1000, NOON / 1000);
  t.match(await readFileInfo(path), { modifiedAt: NOON });
  t.equal(await readFileInfo(join(dir, 'absent', 'XProtect.meta.plist')), 'missing');
});
