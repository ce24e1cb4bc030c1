import t from 'tap';
import { execFileSync, spawnSync } from 'node:child_process';
import { renderResultMessage } from '@nines/shared';
import { fixture } from '../../helpers/fixtures.ts';
import { parseBitLocker, parseFdesetup, parseLsblk } from '../../../src/probes/encryption/parse.ts';
import { evaluateEncryption } from '../../../src/probes/encryption/evaluate.ts';
import { runEncryptionCheck } from '../../../src/checks/encryption.ts';
import { execProgram, type ExecFn } from '../../../src/exec.ts';
import { testContext } from '../backup/context.ts';

const config = { kind: 'encryption' as const, id: 'crypt' };

t.test('parse lsblk: a mount point under a crypt mapping is encrypted, through LVM too', async (t) => {
  t.same(parseLsblk(fixture('lsblk', 'luks-root.json'), ['/', '/srv/data', '/boot']).map((v) => `${v.volume} ${v.protection}`), ['/ on', '/srv/data off', '/boot off']);
  t.same(parseLsblk(fixture('lsblk', 'plain-vm.json'), ['/']), [{ volume: '/', protection: 'off', method: 'LUKS' }]);
  t.throws(() => parseLsblk(fixture('lsblk', 'plain-vm.json'), ['/home']), /\/home is on no block device/, 'not judged, not "off"');
  t.throws(() => parseLsblk('lsblk: unknown column', ['/']), /no JSON/);
  t.same(parseLsblk('{"blockdevices":[{"name":"sda1","type":"part","fstype":"ext4","mountpoint":"/"}]}', ['/'])[0]?.protection, 'off', 'util-linux before 2.37: one mountpoint');
});

t.test('parse BitLocker and FileVault', async (t) => {
  t.same(parseBitLocker(JSON.parse(fixture('bitlocker', 'os-on-data-off.json'))).map((v) => `${v.volume} ${v.protection}`), ['C: on', 'E: off'], 'a real PC: system drive on, a portable drive off');
  // Microsoft's own table: D: is being encrypted (1 %, protection still Off), the rest never was; C: is off
  const docs = JSON.parse(fixture('bitlocker', 'docs-five-volumes.json')) as { MountPoint: string; EncryptionPercentage: number }[];
  t.same(parseBitLocker(docs), [
    { volume: 'D:', protection: 'encrypting', method: 'BitLocker', percent: docs[0]!.EncryptionPercentage },
    ...docs.slice(1).map((v) => ({ volume: v.MountPoint, protection: 'off', method: 'BitLocker', percent: 0 })),
  ]);
  t.same(parseBitLocker(JSON.parse(fixture('bitlocker', 'docs-c-on.json'))), [{ volume: 'C:', protection: 'on', method: 'BitLocker', percent: 100 }], 'a bare object (one volume)');
  t.match(parseBitLocker(JSON.parse(fixture('bitlocker', 'os-suspended.json'))), [{ volume: 'C:', protection: 'suspended' }], 'a bare object, suspended');
  // A data drive not unlocked yet: Get-BitLockerVolume cannot read its protection ("Unknown") and, depending on the
  // version, its volume status; its key is not at hand, so it is protected — not paused, as VolumeStatus alone read it.
  // (Reconstructed from the documented enums: no public capture of a locked volume was found.)
  t.same(parseBitLocker([{ MountPoint: 'E:', VolumeType: 'Data', ProtectionStatus: 'Unknown', VolumeStatus: 'FullyEncrypted', EncryptionPercentage: null, LockStatus: 'Locked' }]),
    [{ volume: 'E:', protection: 'on', method: 'BitLocker' }], 'a locked volume counts as protected');
  t.same(parseBitLocker([{ MountPoint: 'E:', ProtectionStatus: 'Unknown', VolumeStatus: 'FullyEncrypted', LockStatus: 'Unlocked' }]).map((v) => v.protection), ['suspended'], 'unlocked and encrypted without protection: paused');
  t.same(parseFdesetup(fixture('fdesetup', 'on.txt')), { volume: '/', protection: 'on', method: 'FileVault' }, 'a real one, with the institutional-key line after it');
  t.same(parseFdesetup(fixture('fdesetup', 'off.txt')).protection, 'off');
  // deferred enablement (the wording macos-bootstrap scripts wait for) has encrypted nothing yet
  t.same(parseFdesetup('FileVault is Off, but will be enabled after the next restart.\n').protection, 'off');
  t.same(parseFdesetup(fixture('fdesetup', 'encrypting.txt')), { volume: '/', protection: 'encrypting', method: 'FileVault', percent: 42.1 });
  t.throws(() => parseFdesetup('Error: must be run as root'), /no state/);
});

t.test('evaluate: on OK, suspended or encrypting WARN, off by the configured status', async (t) => {
  const both = parseBitLocker(JSON.parse(fixture('bitlocker', 'os-on-data-off.json')));
  t.match(evaluateEncryption(both.slice(0, 1), {}), { status: 'OK', message: 'BitLocker: encrypted: C:' });
  const off = evaluateEncryption(both, { unencryptedStatus: 'CRIT' });
  t.match(off, { status: 'CRIT', message: 'BitLocker: not encrypted: E:; encrypted: C:' });
  t.equal(renderResultMessage(off.code, off.params, 'de', ''), 'BitLocker: nicht verschlüsselt: E:; verschlüsselt: C:');
  // the documentation's machine, checked for C: and D: as the check would: C: off is the configured WARN, D: encrypting WARN
  const docs = parseBitLocker(JSON.parse(fixture('bitlocker', 'docs-five-volumes.json'))).filter((v) => v.volume === 'C:' || v.volume === 'D:');
  t.match(evaluateEncryption(docs, {}), { status: 'WARN', params: { unencrypted: 'C:', encrypting: 'D:' } });
  t.equal(evaluateEncryption(both, {}).status, 'WARN', 'default WARN');
  t.match(evaluateEncryption(parseBitLocker(JSON.parse(fixture('bitlocker', 'os-suspended.json'))), {}), { status: 'WARN', params: { suspended: 'C:' } });
});

t.test('check: Windows reads the system drive from Get-BitLockerVolume; a missing cmdlet is UNKNOWN', async (t) => {
  const exec: ExecFn = async () => ({ code: 0, stdout: fixture('bitlocker', 'os-on-data-off.json'), stderr: '' });
  t.match(await runEncryptionCheck(config, testContext({ exec }), 'win32'), { status: 'OK', params: { encrypted: 'C:' } });
  t.match(await runEncryptionCheck({ ...config, volumes: ['c:\\', 'F:'] }, testContext({ exec }), 'win32'), { status: 'WARN', params: { encrypted: 'C:', unencrypted: 'F:' } }, 'a drive BitLocker does not list is not encrypted');
  const home: ExecFn = async () => ({ code: 1, stdout: '', stderr: "Get-BitLockerVolume : The term 'Get-BitLockerVolume' is not recognized as the name of a cmdlet" });
  t.match(await runEncryptionCheck(config, testContext({ exec: home }), 'win32'), { status: 'UNKNOWN', message: /not available on this Windows edition/ });
});

const lsblkHere = spawnSync('lsblk', ['-J']).status === 0;

t.test('real lsblk on this machine: its JSON is read, and the check says what the parse of that output says', { skip: !lsblkHere && 'lsblk missing' }, async (t) => {
  const outcome = await runEncryptionCheck(config, testContext({ exec: execProgram }), 'linux');
  t.comment(`${outcome.status}: ${outcome.message}`);
  const raw = execFileSync('lsblk', ['-J', '-o', 'NAME,TYPE,FSTYPE,MOUNTPOINTS'], { encoding: 'utf8' });
  let expected: string;
  try {
    expected = evaluateEncryption(parseLsblk(raw, ['/']), {}).status;
  } catch {
    expected = 'UNKNOWN'; // / on no block device (a container): never OK
  }
  t.equal(outcome.status, expected);
  t.match(outcome.code, /^encryption\.(state|probe_failed)$/);
});

t.test('check: macOS FileVault through fdesetup status, each state; a failure is UNKNOWN', async (t) => {
  const answering = (stdout: string, code = 0, stderr = ''): ExecFn => async (file, args) => {
    t.same([file, ...args], ['fdesetup', 'status']);
    return { code, stdout, stderr };
  };
  t.match(await runEncryptionCheck(config, testContext({ exec: answering(fixture('fdesetup', 'on.txt')) }), 'darwin'), { status: 'OK', params: { method: 'FileVault', encrypted: '/' } });
  t.match(await runEncryptionCheck(config, testContext({ exec: answering(fixture('fdesetup', 'off.txt')) }), 'darwin'), { status: 'WARN', params: { unencrypted: '/' } });
  t.match(await runEncryptionCheck({ ...config, unencryptedStatus: 'CRIT' }, testContext({ exec: answering(fixture('fdesetup', 'off.txt')) }), 'darwin'), { status: 'CRIT' });
  t.match(await runEncryptionCheck(config, testContext({ exec: answering(fixture('fdesetup', 'encrypting.txt')) }), 'darwin'), { status: 'WARN', params: { encrypting: '/' } });
  t.match(await runEncryptionCheck(config, testContext({ exec: answering('', 1, 'fdesetup: command not found') }), 'darwin'), { status: 'UNKNOWN', code: 'encryption.probe_failed' });
});
