/** The security checks' findings in plain words for a client (alert mail, monthly report), used by ../security.ts. */
import type { FindingTexts } from './finding-types.ts';
import { count, daysSince, list, sentence, windowPhrase } from './words.ts';

const plural = (names: string) => names.includes(',') || names.includes('(+');
const drives = (names: string) => (plural(names) ? `drives ${names}` : `drive ${names}`);

export const findingsEn: FindingTexts = {
  subject: {
    antivirus: { gen: 'the antivirus protection', dat: 'with the antivirus protection' },
    firewall: { gen: 'the firewall', dat: 'with the firewall' },
    encryption: { gen: 'the disk encryption', dat: 'with the disk encryption' },
    logins: { gen: 'the logins', dat: 'with the logins' },
    admins: { gen: 'the administrator accounts', dat: 'with the administrator accounts' },
    smart: { gen: 'the disks', dat: 'with the disks' },
  },
  fine: {
    antivirus: 'Antivirus protection is turned on and up to date.',
    firewall: 'The firewall is turned on.',
    encryption: 'All drives are encrypted.',
    logins: 'There were no suspicious logins.',
    admins: 'No new administrator account has appeared.',
    smart: 'All disks are healthy.',
  },
  ok: (s) => sentence([`all is well ${s.dat}`]),
  problem: (s) => sentence([`something is wrong ${s.dat}`]),
  unknown: (s) => sentence([`the state of ${s.gen} cannot be checked right now`]),
  silent: (s) => sentence([`the state of ${s.gen} cannot be checked because the computer is not reporting`]),

  antivirus: (p) => {
    const does: string[] = [];
    if (p.off || p.realTimeOff) does.push('is turned off');
    if (p.threats) does.push(`has found ${count(p.threats, 'threat', 'threats')}`);
    if (p.outdated || p.noSignatures || p.signatureLimitMs !== undefined) does.push('is out of date');
    if (p.daemonStopped) does.push('no longer checks files as they are opened');
    if (p.neverScanned) does.push('has never scanned the whole computer');
    if (p.scanAgeMs !== undefined && p.scanLimitMs !== undefined) does.push(`has not scanned the computer for ${count(daysSince(p.scanAgeMs), 'day', 'days')}`);
    return does.length ? `Antivirus protection ${list(does)}.` : undefined;
  },
  firewallInactive: () => 'The firewall is turned off.',
  firewallInboundAllowed: () => 'The firewall is turned on but lets every incoming connection through.',
  encryption: (p) => {
    const found: string[] = [];
    if (p.unencrypted) found.push(`${drives(p.unencrypted)} ${plural(p.unencrypted) ? 'are' : 'is'} not encrypted`);
    if (p.suspended) found.push(`the encryption of ${p.suspended} is paused`);
    if (p.encrypting) found.push(`${drives(p.encrypting)} ${plural(p.encrypting) ? 'are' : 'is'} being encrypted`);
    return found.length ? sentence(found) : undefined;
  },
  logins: (p) => {
    const found: string[] = [];
    if (p.failureLimit !== undefined) found.push(`there ${p.failures === 1 ? 'was' : 'were'} ${count(p.failures, 'failed login attempt', 'failed login attempts')} ${windowPhrase(p.windowMs, 'en')}`);
    if (p.newSources) found.push(`someone logged in from a new address (${p.newSources})`);
    return found.length ? sentence(found) : undefined;
  },
  admins: (p) => {
    if (p.added) return plural(p.added) ? `New administrator accounts have appeared: ${p.added}.` : `A new administrator account has appeared: ${p.added}.`;
    return undefined;
  },
  smart: (p) => {
    if (p.device === undefined) return undefined;
    const damaged = Boolean(p.failed || p.failedAttribute) || [p.criticalWarning, p.reallocated, p.pending, p.uncorrectable, p.mediaErrors].some((v) => v !== undefined);
    const is: string[] = [];
    if (damaged) is.push('is damaged');
    if (p.percentUsed !== undefined) is.push(`is worn (${p.percentUsed} % of its rated life used)`);
    if (p.temperatureC !== undefined) is.push(`is too hot (${p.temperatureC} °C)`);
    if (damaged) is.push('should be replaced');
    else if (p.percentUsed !== undefined) is.push('should be replaced soon');
    return is.length ? `Disk ${p.device} ${list(is)}.` : undefined;
  },
};
