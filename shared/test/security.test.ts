import t from 'tap';
import { SECURITY_KINDS, coded, isSecurityKind, securityFinding, securityPosture } from '../src/index.ts';

const H = 3_600_000;
const D = 24 * H;

t.test('the security kinds: the defences, the attacks and the disks; not eventlog, not the others', async (t) => {
  t.same([...SECURITY_KINDS].sort(), ['admins', 'antivirus', 'encryption', 'firewall', 'logins', 'smart']);
  t.equal(isSecurityKind('eventlog'), false);
  t.equal(isSecurityKind('patch'), false);
  t.equal(isSecurityKind('firewall'), true);
});

t.test('posture: worst state and counts over the security checks only; no result yet counts as UNKNOWN', async (t) => {
  const posture = securityPosture([
    { kind: 'firewall', status: 'OK' },
    { kind: 'antivirus', status: 'WARN' },
    { kind: 'encryption', status: null },
    { kind: 'disk', status: 'CRIT' },
    { kind: 'eventlog', status: 'CRIT' },
    { kind: 'smart', status: 'OK' },
  ]);
  t.same(posture, { worst: 'WARN', counts: { OK: 2, WARN: 1, CRIT: 0, UNKNOWN: 1 } }, 'disk and eventlog CRIT do not count');
  t.same(securityPosture([{ kind: 'admins', status: 'UNKNOWN' }, { kind: 'logins', status: 'CRIT' }]).worst, 'CRIT');
  t.same(securityPosture([{ kind: 'admins', status: 'UNKNOWN' }, { kind: 'logins', status: 'OK' }]).worst, 'UNKNOWN', 'UNKNOWN is worse than OK');
  t.same(securityPosture([{ kind: 'http', status: 'CRIT' }]), { worst: null, counts: { OK: 0, WARN: 0, CRIT: 0, UNKNOWN: 0 } }, 'no security check: no verdict');
});

/** One finding through the same path the agent's probes take: coded() drops unset params as on the wire. */
function finding(kind: string, status: 'OK' | 'WARN' | 'CRIT', c: { code: string; params: Record<string, string | number> }, lang: string) {
  return securityFinding(kind, status, c.code, c.params, lang);
}

t.test('antivirus in plain words', async (t) => {
  t.equal(finding('antivirus', 'CRIT', coded('antivirus.state', { product: 'Microsoft Defender', off: 1 }), 'de'), 'Der Virenschutz ist ausgeschaltet.');
  t.equal(finding('antivirus', 'CRIT', coded('antivirus.state', { product: 'Microsoft Defender', off: 1 }), 'en'), 'Antivirus protection is turned off.');
  t.equal(finding('antivirus', 'CRIT', coded('antivirus.state', { product: 'Microsoft Defender', realTimeOff: 1, threats: 2, threatNames: 'Trojan:Win32/X', threatWindowMs: 7 * D }), 'de'),
    'Der Virenschutz ist ausgeschaltet und hat 2 Schädlinge gefunden.', 'threat names stay in the consultant\'s message');
  t.equal(finding('antivirus', 'WARN', coded('antivirus.state', { product: 'Microsoft Defender', signatureAgeMs: 4 * D, signatureLimitMs: 3 * D, scanAgeMs: 9 * D + 5 * H, scanLimitMs: 8 * D }), 'en'),
    'Antivirus protection is out of date and has not scanned the computer for 9 days.');
  t.equal(finding('antivirus', 'WARN', coded('antivirus.state', { product: 'ClamAV 1.4.6', daemonStopped: 1, signatureAgeMs: H }), 'de'), 'Der Virenschutz prüft Dateien nicht mehr beim Öffnen.');
  t.equal(finding('antivirus', 'WARN', coded('antivirus.state', { product: 'Microsoft Defender', threats: 1, neverScanned: 1, outdated: 1 }), 'en'),
    'Antivirus protection has found 1 threat, is out of date and has never scanned the whole computer.');
  t.equal(finding('antivirus', 'OK', coded('antivirus.state', { product: 'Microsoft Defender', signatureAgeMs: H }), 'de'), 'Der Virenschutz ist eingeschaltet und auf dem neuesten Stand.');
});

t.test('firewall, encryption, admins in plain words', async (t) => {
  t.equal(finding('firewall', 'CRIT', coded('firewall.inactive', { backend: 'windows', profiles: 'Public' }), 'de'), 'Die Firewall ist ausgeschaltet.', 'no profile names for a client');
  t.equal(finding('firewall', 'CRIT', coded('firewall.inactive', { backend: 'nftables', nft: 'accepts_all' }), 'en'), 'The firewall is turned off.');
  t.equal(finding('firewall', 'WARN', coded('firewall.inbound_allowed', { backend: 'windows', profiles: 'Private' }), 'de'), 'Die Firewall ist eingeschaltet, lässt aber alle eingehenden Verbindungen durch.');
  t.equal(finding('firewall', 'OK', coded('firewall.active', { backend: 'nftables', rules: 12 }), 'en'), 'The firewall is turned on.');

  t.equal(finding('encryption', 'WARN', coded('encryption.state', { method: 'BitLocker', unencrypted: 'D:', encrypted: 'C:' }), 'de'), 'Das Laufwerk D: ist nicht verschlüsselt.');
  t.equal(finding('encryption', 'WARN', coded('encryption.state', { method: 'BitLocker', unencrypted: 'D:, E:', suspended: 'C:' }), 'en'),
    'Drives D:, E: are not encrypted and the encryption of C: is paused.');
  t.equal(finding('encryption', 'WARN', coded('encryption.state', { method: 'LUKS', encrypting: '/home' }), 'de'), 'Das Laufwerk /home wird gerade verschlüsselt.');
  t.equal(finding('encryption', 'OK', coded('encryption.state', { method: 'FileVault', encrypted: '/' }), 'de'), 'Alle Laufwerke sind verschlüsselt.');

  t.equal(finding('admins', 'CRIT', coded('admins.state', { group: 'Administratoren', members: 3, names: 'Admin, anna, evil', added: 'evil' }), 'de'), 'Ein neues Administratorkonto ist hinzugekommen: evil.');
  t.equal(finding('admins', 'CRIT', coded('admins.state', { group: 'sudo', members: 9, added: 'a, b, c, d, e (+1)' }), 'en'), 'New administrator accounts have appeared: a, b, c, d, e (+1).');
  t.equal(finding('admins', 'OK', coded('admins.state', { group: 'sudo', members: 1, names: 'anna', learning: 1 }), 'en'), 'No new administrator account has appeared.');
});

t.test('logins and disks in plain words', async (t) => {
  t.equal(finding('logins', 'CRIT', coded('logins.summary', { failures: 57, windowMs: H, failureLimit: 50, topSources: '203.0.113.9 (50)' }), 'de'),
    'Es gab 57 fehlgeschlagene Anmeldeversuche in der letzten Stunde.');
  t.equal(finding('logins', 'WARN', coded('logins.summary', { failures: 1, windowMs: 2 * D, failureLimit: 1, newSources: 'anna@198.51.100.7', newCount: 1 }), 'en'),
    'There was 1 failed login attempt in the last 2 days and someone logged in from a new address (anna@198.51.100.7).');
  t.equal(finding('logins', 'OK', coded('logins.summary', { failures: 2, windowMs: 30 * 60_000 }), 'de'), 'Es gab keine auffälligen Anmeldungen.');

  t.equal(finding('smart', 'CRIT', coded('smart.health', { disks: 2, device: '/dev/sda', reallocated: 48, temperatureC: 61, temperatureLimitC: 55 }), 'de'),
    'Die Festplatte /dev/sda ist beschädigt, ist zu heiß (61 °C) und sollte ersetzt werden.');
  t.equal(finding('smart', 'WARN', coded('smart.health', { disks: 1, device: '/dev/nvme0', percentUsed: 91, percentUsedLimit: 90 }), 'en'),
    'Disk /dev/nvme0 is worn (91 % of its rated life used) and should be replaced soon.');
  t.equal(finding('smart', 'OK', coded('smart.health', { disks: 2, maxTemperatureC: 38 }), 'en'), 'All disks are healthy.');
});

t.test('no probe error text reaches a client: UNKNOWN says the state cannot be checked, and why when the host is silent', async (t) => {
  const failed = coded('antivirus.probe_failed', { product: 'auto', error: 'powershell: Get-MpComputerStatus: 0x800106ba' });
  t.equal(securityFinding('antivirus', 'UNKNOWN', failed.code, failed.params, 'de'), 'Der Zustand des Virenschutzes lässt sich gerade nicht prüfen.');
  t.equal(securityFinding('firewall', 'UNKNOWN', 'agent.silent', { since: 0 }, 'en'), 'The state of the firewall cannot be checked because the computer is not reporting.');
  t.equal(securityFinding('smart', 'UNKNOWN', 'smart.no_disks', {}, 'de'), 'Der Zustand der Festplatten lässt sich gerade nicht prüfen.');
  t.equal(securityFinding('admins', 'UNKNOWN', 'admins.state', { group: 'sudo', members: 1, added: 'x' }, 'en'),
    'The state of the administrator accounts cannot be checked right now.', 'UNKNOWN wins over a stale state code');
});

t.test('a code or params this version cannot read fall back to the status, never to "all is well" for a problem', async (t) => {
  t.equal(securityFinding('logins', 'CRIT', 'logins.burst', { n: 3 }, 'de'), 'Bei den Anmeldungen ist etwas nicht in Ordnung.', 'a newer agent\'s code');
  t.equal(securityFinding('antivirus', 'CRIT', 'antivirus.state', { product: 'X', disabledV2: 1 }, 'en'), 'Something is wrong with the antivirus protection.', 'params it cannot use');
  t.equal(securityFinding('firewall', 'WARN', 'firewall.active', { backend: 'ufw' }, 'en'), 'Something is wrong with the firewall.');
  t.equal(securityFinding('encryption', 'OK', null, null, 'de'), 'Bei der Festplattenverschlüsselung ist alles in Ordnung.', 'an old agent without codes');
  t.equal(securityFinding('logins', 'CRIT', 'logins.summary', { failures: 3, windowMs: 'an hour', failureLimit: 1 }, 'en'), 'Something is wrong with the logins.', 'a string where a number belongs');
  t.equal(securityFinding('firewall', 'CRIT', 'check.timeout', { timeoutMs: 5000 }, 'fr'), 'Something is wrong with the firewall.', 'unknown languages get English');
});

t.test('a kind that is not a security kind is refused by name', async (t) => {
  t.throws(() => securityFinding('disk', 'CRIT', 'disk.usage', {}, 'de'), { message: /"disk" is not a security check kind \(antivirus, firewall/ });
});
