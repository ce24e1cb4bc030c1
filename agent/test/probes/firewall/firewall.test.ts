import t from 'tap';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderResultMessage } from '@nines/shared';
import { fixture } from '../../helpers/fixtures.ts';
import { parseFirewalldState, parseNftRuleset, parseSocketfilterfw, parseUfwStatus, parseWindowsProfiles, FirewallProbeError } from '../../../src/probes/firewall/parse.ts';
import { evaluateFirewall } from '../../../src/probes/firewall/evaluate.ts';
import { runFirewallCheck } from '../../../src/checks/firewall.ts';
import { execProgram, type ExecFn } from '../../../src/exec.ts';
import { tempDir, testContext } from '../backup/context.ts';

const config = { kind: 'firewall' as const, id: 'fw' };
const json = (tool: string, name: string) => JSON.parse(fixture(tool, name)) as unknown;

t.test('parse nftables: a drop policy on input filters; an empty or all-accepting ruleset does not', async (t) => {
  t.same(parseNftRuleset(fixture('nft', 'input-drop.json')), { backend: 'nftables', active: true, rules: 4 });
  t.same(parseNftRuleset(fixture('nft', 'empty.json')), { backend: 'nftables', active: false, rules: 0, nftProblem: 'no_input_chain' });
  t.same(parseNftRuleset(fixture('nft', 'input-accept-empty.json')), { backend: 'nftables', active: false, rules: 0, nftProblem: 'accepts_all' });
  t.throws(() => parseNftRuleset('Error: syntax error'), FirewallProbeError);
});

t.test('parse ufw, firewalld, Windows profiles, macOS', async (t) => {
  t.same(parseUfwStatus(fixture('ufw', 'active.txt')), { backend: 'ufw', active: true, rules: 2 });
  t.same(parseUfwStatus(fixture('ufw', 'inactive.txt')), { backend: 'ufw', active: false, rules: 0 });
  t.throws(() => parseUfwStatus(fixture('ufw', 'not-root.stderr.txt')), FirewallProbeError);
  t.same(parseFirewalldState('running\n', 0), { backend: 'firewalld', active: true });
  t.same(parseFirewalldState('not running\n', 252), { backend: 'firewalld', active: false });
  t.throws(() => parseFirewalldState('Authorization failed.', 11), /firewall-cmd --state answered/);
  t.match(parseWindowsProfiles(json('windows-firewall', 'all-on.json')), { active: true, profilesOff: [], profilesAllowInbound: [] });
  t.match(parseWindowsProfiles(json('windows-firewall', 'public-off.json')), { active: false, profilesOff: ['Public'], profilesAllowInbound: ['Private'] });
  t.match(parseWindowsProfiles(json('windows-firewall', 'numeric-enums.json')), { active: false, profilesOff: ['Domain'] }, 'numbers and a bare object are read too');
  // A real Windows Server 2022: the raw CIM objects (enums as numbers, dozens of other fields) read the same as the
  // script's names: every profile has Enabled 1 (True) and DefaultInboundAction 0 (NotConfigured, which blocks)
  const raw = json('windows-firewall', 'server2022-raw.json') as { Name: string; Enabled: number; DefaultInboundAction: number }[];
  t.ok(raw.length === 3 && raw.every((p) => p.Enabled === 1 && p.DefaultInboundAction === 0), 'the capture is what the expectation below assumes');
  t.same(parseWindowsProfiles(raw), { backend: 'windows', active: true, profilesOff: [], profilesAllowInbound: [] });
  t.same(parseWindowsProfiles(raw), parseWindowsProfiles(json('windows-firewall', 'all-on.json')), 'the converted script form reads the same');
  // a real machine after Set-NetFirewallProfile -Enabled False: every profile it lists is off
  const allOff = json('windows-firewall', 'all-off.json') as { Name: string }[];
  t.same(parseWindowsProfiles(allOff), { backend: 'windows', active: false, profilesOff: allOff.map((p) => p.Name), profilesAllowInbound: [] });
  t.equal(evaluateFirewall(parseWindowsProfiles(allOff), {}).status, 'CRIT', 'off is CRIT by default');
  t.throws(() => parseWindowsProfiles([]), /no profiles/);
  t.same(parseSocketfilterfw(fixture('socketfilterfw', 'enabled.txt')), { backend: 'macos', active: true });
  t.same(parseSocketfilterfw(fixture('socketfilterfw', 'disabled.txt')), { backend: 'macos', active: false });
  // state 2 ("block all incoming") is the firewall at its strictest, in the current and the older wording
  t.same(parseSocketfilterfw(fixture('socketfilterfw', 'blocking-all.txt')), { backend: 'macos', active: true }, 'no "enabled" in the sentence, State = 2');
  t.same(parseSocketfilterfw(fixture('socketfilterfw', 'enabled-state2-2021.txt')), { backend: 'macos', active: true });
});

t.test('evaluate: each state, in both languages', async (t) => {
  const on = evaluateFirewall(parseNftRuleset(fixture('nft', 'input-drop.json')), {});
  t.match(on, { status: 'OK', message: 'firewall on (nftables, 4 rules)', metrics: { active: 1, rules: 4 } });
  const off = evaluateFirewall(parseWindowsProfiles(json('windows-firewall', 'public-off.json')), {});
  t.match(off, { status: 'CRIT', code: 'firewall.inactive', message: 'the firewall is off (Windows Firewall, profile Public)' });
  t.equal(renderResultMessage(off.code, off.params, 'de', ''), 'Die Firewall ist ausgeschaltet (Windows-Firewall, Profil Öffentlich)');
  const open = evaluateFirewall({ ...parseWindowsProfiles(json('windows-firewall', 'public-off.json')), active: true, profilesOff: [] }, {});
  t.match(open, { status: 'WARN', code: 'firewall.inbound_allowed' });
  const empty = evaluateFirewall(parseNftRuleset(fixture('nft', 'empty.json')), { inactiveStatus: 'WARN' });
  t.match(empty, { status: 'WARN', message: 'the firewall is off (nftables: no chain filters incoming traffic)' });
});

/** A Linux machine with the given programs on PATH answering from fixtures. */
function linux(programs: Record<string, { code: number; stdout?: string; stderr?: string }>): { exec: ExecFn; onPath: (n: string) => Promise<string | undefined> } {
  return {
    exec: async (file) => ({ stdout: '', stderr: '', ...(programs[file] ?? { code: null, failure: 'not-found' as const }) }) as never,
    onPath: async (name) => (programs[name] ? `/usr/sbin/${name}` : undefined),
  };
}

t.test('auto on Linux: an active front end answers; a stopped one over a filtering ruleset is not "off"', async (t) => {
  const ufwOn = linux({ ufw: { code: 0, stdout: fixture('ufw', 'active.txt') }, nft: { code: 0, stdout: fixture('nft', 'empty.json') } });
  t.match(await runFirewallCheck(config, testContext({ exec: ufwOn.exec }), 'linux', ufwOn.onPath), { status: 'OK', params: { backend: 'ufw' } });
  const handMade = linux({ ufw: { code: 0, stdout: fixture('ufw', 'inactive.txt') }, nft: { code: 0, stdout: fixture('nft', 'input-drop.json') } });
  t.match(await runFirewallCheck(config, testContext({ exec: handMade.exec }), 'linux', handMade.onPath), { status: 'OK', params: { backend: 'nftables' } });
  const nothing = linux({ ufw: { code: 0, stdout: fixture('ufw', 'inactive.txt') }, nft: { code: 0, stdout: fixture('nft', 'empty.json') } });
  t.match(await runFirewallCheck(config, testContext({ exec: nothing.exec }), 'linux', nothing.onPath), { status: 'CRIT', message: 'the firewall is off (ufw)' });
  const none = linux({});
  t.match(await runFirewallCheck(config, testContext({ exec: none.exec }), 'linux', none.onPath), { status: 'UNKNOWN', message: /no firewall tool found/ });
});

t.test('lacking permission is UNKNOWN with the reason, never OK', async (t) => {
  const ufw = linux({ ufw: { code: 1, stderr: fixture('ufw', 'not-root.stderr.txt') } });
  t.match(await runFirewallCheck(config, testContext({ exec: ufw.exec }), 'linux', ufw.onPath), { status: 'UNKNOWN', code: 'firewall.probe_failed', message: /You need to be root to run this script \(ufw status needs root\)/ });
  const nft = linux({ nft: { code: 1, stderr: fixture('nft', 'not-root.stderr.txt') } });
  t.match(await runFirewallCheck(config, testContext({ exec: nft.exec }), 'linux', nft.onPath), { status: 'UNKNOWN', message: /Operation not permitted \(you must be root\) \(reading the ruleset needs root or CAP_NET_ADMIN\)/ });
});

t.test('Windows: the script runs in PowerShell and its JSON is read', async (t) => {
  const calls: string[][] = [];
  const exec: ExecFn = async (file, args) => {
    calls.push([file, ...args]);
    return { code: 0, stdout: fixture('windows-firewall', 'public-off.json'), stderr: '' };
  };
  t.match(await runFirewallCheck(config, testContext({ exec }), 'win32'), { status: 'CRIT', params: { profiles: 'Public' } });
  t.equal(calls[0]![0], 'powershell.exe');
  t.match(calls[0]!.at(-1), /Get-NetFirewallProfile .*\[string\]\$_\.Enabled.*ConvertTo-Json|ConvertTo-Json .*Get-NetFirewallProfile/);
  const failing: ExecFn = async () => ({ code: 1, stdout: '', stderr: 'Get-NetFirewallProfile : Access is denied.' });
  t.match(await runFirewallCheck(config, testContext({ exec: failing }), 'win32'), { status: 'UNKNOWN', message: /Get-NetFirewallProfile: exit code 1: Get-NetFirewallProfile : Access is denied/ });
});

const canRun = (file: string, args: string[]) => {
  try {
    execFileSync(file, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const privateNetns = canRun('unshare', ['-n', 'nft', '-j', 'list', 'ruleset']);

t.test('real nft in a private network namespace: loaded rules are OK, none CRIT', { skip: !privateNetns && 'nft or unshare -n is not permitted here' }, async (t) => {
  const dir = tempDir(t, 'nines-nft-');
  const rules = join(dir, 'ruleset.nft');
  writeFileSync(rules, 'table inet filter {\n chain input { type filter hook input priority 0; policy drop; iif "lo" accept; tcp dport 22 accept; }\n}\n');
  // each exec runs in a new namespace, so the ruleset is loaded and listed in the same one
  const inNetns = (load: boolean): ExecFn => (file, args, options) =>
    execProgram('unshare', ['-n', 'sh', '-c', `${load ? `nft -f '${rules}' && ` : ''}exec "$0" "$@"`, file, ...args], options);
  const onPath = async (name: string) => (name === 'nft' ? '/usr/sbin/nft' : undefined);
  t.match(await runFirewallCheck(config, testContext({ exec: inNetns(true) }), 'linux', onPath), { status: 'OK', params: { backend: 'nftables', rules: 2 } });
  t.match(await runFirewallCheck(config, testContext({ exec: inNetns(false) }), 'linux', onPath), { status: 'CRIT', params: { nft: 'no_input_chain' } });
});

const asNobody = canRun('runuser', ['-u', 'nobody', '--', 'true']) && canRun('nft', ['--version']);

t.test('real nft as an unprivileged user: UNKNOWN with nft\'s own reason', { skip: !asNobody && 'runuser/nft not available (needs root to switch user)' }, async (t) => {
  const exec: ExecFn = (file, args, options) => execProgram('runuser', ['-u', 'nobody', '--', file, ...args], options);
  const outcome = await runFirewallCheck({ ...config, backend: 'nftables' }, testContext({ exec }), 'linux');
  t.match(outcome, { status: 'UNKNOWN', code: 'firewall.probe_failed', message: /Operation not permitted/ });
});

t.test('macOS: the application firewall through socketfilterfw, each state', async (t) => {
  const calls: string[][] = [];
  const answering = (stdout: string, code = 0): ExecFn => async (file, args) => {
    calls.push([file, ...args]);
    return { code, stdout, stderr: '' };
  };
  const onPath = async () => undefined;
  const on = await runFirewallCheck(config, testContext({ exec: answering(fixture('socketfilterfw', 'enabled.txt')) }), 'darwin', onPath);
  t.match(on, { status: 'OK', code: 'firewall.active', params: { backend: 'macos' } });
  t.same(calls[0], ['/usr/libexec/ApplicationFirewall/socketfilterfw', '--getglobalstate']);
  const off = await runFirewallCheck(config, testContext({ exec: answering(fixture('socketfilterfw', 'disabled.txt')) }), 'darwin', onPath);
  t.match(off, { status: 'CRIT', code: 'firewall.inactive', params: { backend: 'macos' } });
  t.match(await runFirewallCheck({ ...config, inactiveStatus: 'WARN' }, testContext({ exec: answering(fixture('socketfilterfw', 'disabled.txt')) }), 'darwin', onPath), { status: 'WARN' });
  t.match(await runFirewallCheck(config, testContext({ exec: answering(fixture('socketfilterfw', 'blocking-all.txt')) }), 'darwin', onPath), { status: 'OK' }, 'state 2, block all: on');
  t.match(await runFirewallCheck(config, testContext({ exec: answering('usage: socketfilterfw [-c]\n', 64) }), 'darwin', onPath), { status: 'UNKNOWN', code: 'firewall.probe_failed', message: /socketfilterfw printed no state/ });
});
