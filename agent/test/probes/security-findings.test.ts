import t from 'tap';
import { securityFinding } from '@nines/shared';
import { fixture } from '../helpers/fixtures.ts';
import type { CheckOutcome } from '../../src/checks/check.ts';
import { parseDefender } from '../../src/probes/antivirus/parse.ts';
import { evaluateAntivirus } from '../../src/probes/antivirus/evaluate.ts';
import { parseNftRuleset, parseWindowsProfiles } from '../../src/probes/firewall/parse.ts';
import { evaluateFirewall } from '../../src/probes/firewall/evaluate.ts';
import { parseBitLocker } from '../../src/probes/encryption/parse.ts';
import { evaluateEncryption } from '../../src/probes/encryption/evaluate.ts';
import { parseDevice } from '../../src/probes/smart/parse.ts';
import { evaluateSmart } from '../../src/probes/smart/evaluate.ts';

// The client's plain sentence from what the probes really emit: the probes' fixtures (each names its source on its
// first line; the Defender, Windows Firewall and BitLocker ones say they are reconstructed)
// through parse and evaluate, then securityFinding — so a renamed code or param breaks here, not in a client's mail.
const NOON = Date.UTC(2026, 10, 25, 12, 0);
const finding = (kind: string, o: CheckOutcome, lang: string) => securityFinding(kind, o.status, o.code, o.params, lang);

t.test('Defender with real-time protection off and a threat', async (t) => {
  const o = evaluateAntivirus(parseDefender(JSON.parse(fixture('defender', 'realtime-off-threat.json'))), { kind: 'antivirus', id: 'av' }, NOON);
  t.equal(o.status, 'CRIT');
  t.equal(finding('antivirus', o, 'de'), 'Der Virenschutz ist ausgeschaltet, hat 1 Schädling gefunden, ist nicht auf dem neuesten Stand und hat noch nie den ganzen Computer durchsucht.');
  t.equal(finding('antivirus', o, 'en'), 'Antivirus protection is turned off, has found 1 threat, is out of date and has never scanned the whole computer.');
  t.equal(finding('antivirus', evaluateAntivirus(parseDefender(JSON.parse(fixture('defender', 'healthy.json'))), { kind: 'antivirus', id: 'av' }, NOON), 'de'),
    'Der Virenschutz ist eingeschaltet und auf dem neuesten Stand.');
});

t.test('firewalls: the Windows public profile off, nftables that accepts everything, nftables that drops', async (t) => {
  t.equal(finding('firewall', evaluateFirewall(parseWindowsProfiles(JSON.parse(fixture('windows-firewall', 'public-off.json'))), {}), 'de'), 'Die Firewall ist ausgeschaltet.');
  t.equal(finding('firewall', evaluateFirewall(parseNftRuleset(fixture('nft', 'input-accept-empty.json')), {}), 'en'), 'The firewall is turned off.');
  t.equal(finding('firewall', evaluateFirewall(parseNftRuleset(fixture('nft', 'input-drop.json')), {}), 'de'), 'Die Firewall ist eingeschaltet.');
});

t.test('BitLocker: a data drive off, the system drive suspended', async (t) => {
  t.match(finding('encryption', evaluateEncryption(parseBitLocker(JSON.parse(fixture('bitlocker', 'os-on-data-off.json'))), {}), 'de'), /^Das Laufwerk [A-Z]: ist nicht verschlüsselt\.$/);
  t.equal(finding('encryption', evaluateEncryption(parseBitLocker(JSON.parse(fixture('bitlocker', 'os-suspended.json'))), {}), 'en'), 'The encryption of C: is paused.');
});

t.test('smartctl: a failing HDD and a worn NVMe', async (t) => {
  const disk = (file: string, device: string) => ({ device, health: parseDevice(fixture('smartctl', file), device) });
  t.equal(finding('smart', evaluateSmart([disk('hdd-failing-hitachi.json', '/dev/sdc')], {}), 'de'), 'Die Festplatte /dev/sdc ist beschädigt und sollte ersetzt werden.');
  t.match(finding('smart', evaluateSmart([disk('nvme-worn.json', '/dev/nvme1')], {}), 'en'), /^Disk \/dev\/nvme1 is damaged, is worn \(97 % of its rated life used\), is too hot \(74 °C\) and should be replaced\.$/);
  t.equal(finding('smart', evaluateSmart([disk('nvme-healthy.json', '/dev/nvme0')], {}), 'de'), 'Alle Festplatten sind in Ordnung.');
});
