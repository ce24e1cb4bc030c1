import t from 'tap';
import { spawnSync } from 'node:child_process';
import { renderResultMessage } from '@nines/shared';
import { fixture } from '../../helpers/fixtures.ts';
import { parseDsclMembership, parseGetentGroups, parseUidZero, parseWindowsAdmins } from '../../../src/probes/admins/parse.ts';
import { evaluateAdmins } from '../../../src/probes/admins/evaluate.ts';
import { runAdminsCheck } from '../../../src/checks/admins.ts';
import { execProgram, type ExecFn } from '../../../src/exec.ts';
import { tempDir, testContext } from '../backup/context.ts';

const config = { kind: 'admins' as const, id: 'admins' };

t.test('parse: getent groups and uid 0, Windows members, macOS admin group', async (t) => {
  t.same(parseGetentGroups(fixture('getent', 'group-members.txt')), ['anna', 'deploy', 'anna']);
  t.same(parseGetentGroups(fixture('getent', 'group-sudo-empty.txt')), []);
  t.same(parseGetentGroups(fixture('getent', 'group-sudo-kali.txt')), ['kali', 'attacker'], 'a real sudo group: both members, in order');
  t.same(parseUidZero(fixture('getent', 'passwd.txt')), ['root']);
  t.same(parseUidZero('toor:x:0:0::/root:/bin/sh\nroot:x:0:0::/root:/bin/bash\n'), ['toor', 'root'], 'a second uid-0 account is an admin');
  t.same(parseWindowsAdmins(JSON.parse(fixture('windows-admins', 'three.json'))), ['PC-EMPFANG\\Administrator', 'PC-EMPFANG\\it-service', 'AUTOHAUS\\Domänen-Admins']);
  t.same(parseWindowsAdmins({ SID: 'S-1-5-21-1-2-3-1105' }), ['S-1-5-21-1-2-3-1105'], 'an orphaned SID is named by its SID');
  const lab = JSON.parse(fixture('windows-admins', 'clientwk220-five.json')) as { Name: string }[];
  t.same(parseWindowsAdmins(lab), lab.map((m) => m.Name), 'a real list: every member by its COMPUTER\\user name, in order');
  // the lab's attack added dave2 as admin: against a baseline from before it, that one name is the finding
  const before = lab.map((m) => m.Name).filter((n) => n !== 'CLIENTWK220\\dave2');
  t.match(evaluateAdmins({ group: 'Administrators', members: parseWindowsAdmins(lab) }, before, {}), { status: 'CRIT', params: { added: 'CLIENTWK220\\dave2' }, metrics: { new_admins: 1 } });
  t.same(parseDsclMembership(fixture('dscl', 'admin.txt')), ['root', 'sunix'], 'a real Mac: root and the one daily account');
  // macOS adds the Setup Assistant's account to admin on many Macs; it is a member like any other, for the baseline to accept
  t.same(parseDsclMembership('GroupMembership: root dutov _mbsetupuser\n'), ['root', 'dutov', '_mbsetupuser']);
  t.throws(() => parseDsclMembership('<dscl_cmd> DS Error: -14136 (eDSRecordNotFound)'), /no GroupMembership/);
});

t.test('evaluate: the baseline is OK, a new member CRIT until accepted, a removed one named', async (t) => {
  const current = { group: 'Administrators', members: ['PC-EMPFANG\\Administrator', 'PC-EMPFANG\\it-service', 'PC-EMPFANG\\support2'] };
  const first = evaluateAdmins(current, undefined, {});
  t.match(first, { status: 'OK', params: { learning: 1, members: 3 } });
  const added = evaluateAdmins(current, ['pc-empfang\\administrator', 'PC-EMPFANG\\it-service', 'PC-EMPFANG\\azubi'], {});
  t.match(added, { status: 'CRIT', params: { added: 'PC-EMPFANG\\support2', removed: 'PC-EMPFANG\\azubi' }, metrics: { new_admins: 1 } });
  t.match(added.message, /NEW, not accepted: PC-EMPFANG\\support2; no longer admin: PC-EMPFANG\\azubi$/);
  t.match(renderResultMessage(added.code, added.params, 'de', ''), /^3 Administratoren \(Administrators\): .*; NEU, nicht bestätigt: PC-EMPFANG\\support2/);
  t.equal(evaluateAdmins(current, current.members, {}).status, 'OK', 'accepted: OK');
  t.equal(evaluateAdmins(current, [], { newAdminStatus: 'WARN' }).status, 'WARN');
  const many = evaluateAdmins({ group: 'sudo', members: ['a', 'b', 'c', 'd', 'e', 'f', 'g'] }, [], {});
  t.equal(many.params?.added, 'a, b, c, d, e (+2)', 'long lists are cut in the message, kept whole in details');
});

t.test('check: the first run learns, a later new member is CRIT, `accepted` in the config acknowledges', async (t) => {
  const stateDir = tempDir(t, 'nines-admins-');
  let groups = 'sudo:x:27:anna\n';
  const exec: ExecFn = async (_file, args) => (args[0] === 'group' ? { code: 2, stdout: groups, stderr: '' } : { code: 0, stdout: 'root:x:0:0::/root:/bin/bash\n', stderr: '' });
  const ctx = testContext({ exec, stateDir });
  t.match(await runAdminsCheck(config, ctx, 'linux'), { status: 'OK', params: { learning: 1, names: 'anna, root' } });
  groups = 'sudo:x:27:anna,mallory\n';
  t.match(await runAdminsCheck(config, ctx, 'linux'), { status: 'CRIT', params: { added: 'mallory' } });
  t.match(await runAdminsCheck(config, ctx, 'linux'), { status: 'CRIT' }, 'stays CRIT: not learnt behind the consultant\'s back');
  t.match(await runAdminsCheck({ ...config, accepted: ['anna', 'mallory', 'root'] }, ctx, 'linux'), { status: 'OK' });
  const failing: ExecFn = async () => ({ code: null, stdout: '', stderr: '', failure: 'not-found', failureMessage: 'getent is not installed' });
  t.match(await runAdminsCheck(config, testContext({ exec: failing, stateDir }), 'linux'), { status: 'UNKNOWN', message: /getent is not installed/ });
});

t.test('check: Windows by the Administrators SID; an orphaned member is UNKNOWN with the fix', async (t) => {
  const stateDir = tempDir(t, 'nines-admins-');
  const scripts: string[] = [];
  const exec: ExecFn = async (_f, args) => {
    scripts.push(args.at(-1)!);
    return { code: 0, stdout: fixture('windows-admins', 'three.json'), stderr: '' };
  };
  t.match(await runAdminsCheck(config, testContext({ exec, stateDir }), 'win32'), { status: 'OK', params: { members: 3 } });
  t.match(scripts[0], /Get-LocalGroupMember -SID S-1-5-32-544/);
  const orphan: ExecFn = async () => ({ code: 1, stdout: '', stderr: 'Get-LocalGroupMember : Failed to compare two elements in the array. ... error 1789' });
  t.match(await runAdminsCheck(config, testContext({ exec: orphan, stateDir }), 'win32'), { status: 'UNKNOWN', message: /orphaned SID/ });
});

const getentHere = spawnSync('getent', ['passwd', 'root']).status === 0;

t.test('real getent on this machine: root is an admin', { skip: !getentHere && 'getent missing' }, async (t) => {
  const stateDir = tempDir(t, 'nines-admins-');
  const outcome = await runAdminsCheck(config, testContext({ exec: execProgram, stateDir }), 'linux');
  t.match(outcome, { status: 'OK', params: { learning: 1 } });
  t.ok((outcome.details as { members: string[] }).members.includes('root'));
});
