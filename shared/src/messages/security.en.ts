/** English texts of the security-posture kinds (smart, firewall, logins, antivirus, …), spread into ./en.ts. */
import type { ResultMessageParams } from './codes.ts';
import type { SecurityRenderers } from './render-types.ts';
import { bytes, duration, grouped, utcMinute } from './format.ts';

function smartFindings(p: ResultMessageParams['smart.health']): string[] {
  const found: string[] = [];
  if (p.failed) found.push('the disk reports its own health check FAILED');
  if (p.failedAttribute) found.push(`attribute failing now: ${p.failedAttribute}`);
  if (p.criticalWarning !== undefined) found.push(`NVMe critical warning ${p.criticalWarning}`);
  if (p.reallocated !== undefined) found.push(`${p.reallocated} reallocated sectors`);
  if (p.pending !== undefined) found.push(`${p.pending} pending sectors (unreadable)`);
  if (p.uncorrectable !== undefined) found.push(`${p.uncorrectable} uncorrectable sectors`);
  if (p.percentUsed !== undefined) found.push(`${p.percentUsed} % of its rated endurance used${p.percentUsedLimit !== undefined ? ` (limit ${p.percentUsedLimit} %)` : ''}`);
  if (p.mediaErrors !== undefined) found.push(`${p.mediaErrors} media errors`);
  if (p.temperatureC !== undefined) found.push(`${p.temperatureC} °C${p.temperatureLimitC !== undefined ? ` (limit ${p.temperatureLimitC} °C)` : ''}`);
  return found;
}

const repositoryEn = (p: { tool: string; repository: string }) => `${p.tool} repository ${p.repository}`;

const BACKEND: Record<string, string> = { nftables: 'nftables', ufw: 'ufw', firewalld: 'firewalld', windows: 'Windows Firewall', macos: 'macOS firewall', auto: 'firewall' };
const backend = (name: string) => BACKEND[name] ?? name;

export const securityEn: SecurityRenderers = {
  'smart.health': (p) => {
    if (p.device === undefined) {
      return `${p.disks === 1 ? '1 disk' : `${p.disks} disks`} healthy${p.maxTemperatureC !== undefined ? ` (warmest ${p.maxTemperatureC} °C)` : ''}`;
    }
    const more = [
      p.otherDisksNotOk ? `${p.otherDisksNotOk} more ${p.otherDisksNotOk === 1 ? 'disk' : 'disks'} not OK` : '',
      p.unreadable ? `${p.unreadable} ${p.unreadable === 1 ? 'disk' : 'disks'} unreadable` : '',
    ].filter(Boolean);
    return `disk ${p.device}${p.model ? ` (${p.model})` : ''}: ${smartFindings(p).join('; ')}${more.length ? ` — ${more.join(', ')}` : ''}`;
  },
  'smart.no_disks': () => 'smartctl found no disk to read (a virtual machine or container has none; name them under devices otherwise)',
  'smart.probe_failed': (p) => `disk health cannot be read${p.device ? ` for ${p.device}` : ''}: ${p.error}`,

  'firewall.active': (p) => `firewall on (${backend(p.backend)}${p.rules !== undefined ? `, ${p.rules} ${p.rules === 1 ? 'rule' : 'rules'}` : ''})`,
  'firewall.inactive': (p) =>
    p.profiles ? `the firewall is off (${backend(p.backend)}, ${p.profiles.includes(',') ? 'profiles' : 'profile'} ${p.profiles})` : `the firewall is off (${backend(p.backend)}${p.nft ? `: ${p.nft === 'no_input_chain' ? 'no chain filters incoming traffic' : 'the rules let all incoming traffic in'}` : ''})`,
  'firewall.inbound_allowed': (p) => `the firewall is on but lets all incoming connections in (${backend(p.backend)}, ${p.profiles})`,
  'firewall.probe_failed': (p) => `firewall state cannot be read (${backend(p.backend)}): ${p.error}`,

  'logins.summary': (p) => {
    const parts = [`${p.failures} failed ${p.failures === 1 ? 'login' : 'logins'} in ${duration(p.windowMs, 'en')}${p.failureLimit !== undefined ? ` (limit ${p.failureLimit})` : ''}${p.topSources ? `, most from ${p.topSources}` : ''}`];
    if (p.newSources) parts.push(`login from a new address: ${p.newSources}${p.newCount !== undefined && p.newCount > 3 ? ` and ${p.newCount - 3} more` : ''}`);
    if (p.learning) parts.push('first run: the addresses seen are learnt as known');
    return parts.join('; ');
  },
  'logins.probe_failed': (p) => `logins cannot be read (${p.source}): ${p.error}`,

  'antivirus.state': (p) => {
    const found: string[] = [];
    if (p.daemonStopped) found.push('clamd is not running (no on-access scanning)');
    if (p.outdated) found.push('its signatures are out of date');
    if (p.threats) found.push(`${p.threats} ${p.threats === 1 ? 'threat' : 'threats'} found in ${duration(p.threatWindowMs ?? 0, 'en')}: ${p.threatNames}`);
    if (p.noSignatures) found.push('no signature database');
    if (p.signatureLimitMs !== undefined && p.signatureAgeMs !== undefined) found.push(`signatures ${duration(p.signatureAgeMs, 'en')} old (limit ${duration(p.signatureLimitMs, 'en')})`);
    if (p.neverScanned) found.push('no scan has ever finished');
    if (p.scanAgeMs !== undefined && p.scanLimitMs !== undefined) found.push(`last scan ${duration(p.scanAgeMs, 'en')} ago (limit ${duration(p.scanLimitMs, 'en')})`);
    const head = p.off ? 'antivirus is off: no virus scanner is running' : p.realTimeOff ? `antivirus is off (${p.product}, real-time protection off)` : `antivirus ${p.product}`;
    if (p.off || p.realTimeOff) return found.length ? `${head}; ${found.join('; ')}` : head;
    if (found.length) return `${head}: ${found.join('; ')}`;
    return `antivirus ${p.product} on${p.signatureAgeMs !== undefined ? `, signatures ${duration(p.signatureAgeMs, 'en')} old` : ''}`;
  },
  'antivirus.probe_failed': (p) => `antivirus state cannot be read (${p.product}): ${p.error}`,

  'encryption.state': (p) => {
    const parts: string[] = [];
    if (p.unencrypted) parts.push(`not encrypted: ${p.unencrypted}`);
    if (p.suspended) parts.push(`encryption suspended (the key is readable): ${p.suspended}`);
    if (p.encrypting) parts.push(`being encrypted: ${p.encrypting}`);
    if (p.encrypted) parts.push(`encrypted: ${p.encrypted}`);
    return `${p.method}: ${parts.join('; ')}`;
  },
  'encryption.probe_failed': (p) => `disk encryption cannot be read: ${p.error}`,

  'admins.state': (p) => {
    const head = `${p.members} ${p.members === 1 ? 'administrator' : 'administrators'} (${p.group})${p.names ? `: ${p.names}` : ''}`;
    const parts = [head];
    if (p.added) parts.push(`NEW, not accepted: ${p.added}`);
    if (p.removed) parts.push(`no longer admin: ${p.removed}`);
    if (p.learning) parts.push('first run: these are the accepted baseline');
    return parts.join('; ');
  },
  'admins.probe_failed': (p) => `administrators cannot be read: ${p.error}`,

  'eventlog.matches': (p) =>
    p.count === 0
      ? `no events (${p.subject}) in ${duration(p.windowMs, 'en')}`
      : `${p.count} ${p.count === 1 ? 'event' : 'events'} (${p.subject}) in ${duration(p.windowMs, 'en')}${p.limit !== undefined ? ` (limit ${p.limit})` : ''}${p.latest ? `, latest${p.latestAt !== undefined ? ` ${new Date(p.latestAt).toISOString().slice(0, 16).replace('T', ' ')} UTC` : ''}: ${p.latest}` : ''}`,
  'eventlog.probe_failed': (p) => `events (${p.subject}) cannot be read: ${p.error}`,
  'integrity.verified': (p) => {
    const read = p.subset !== undefined ? `, data part ${p.subset} read back${p.packs !== undefined ? ` (${p.packs} ${p.packs === 1 ? 'pack' : 'packs'})` : ''}` : p.chunks !== undefined ? `, ${p.chunks} chunks read back` : '';
    return `${repositoryEn(p)}: no errors found${read} (${p.earlier ? 'last checked' : 'checked'} ${utcMinute(p.checkedAt)}, next check ${utcMinute(p.nextAt)})`;
  },
  'integrity.damaged': (p) =>
    `${repositoryEn(p)} is damaged: ${p.error}${p.errors > 1 ? ` (+${p.errors - 1} more)` : ''} (${p.earlier ? 'last checked' : 'checked'} ${utcMinute(p.checkedAt)}, next check ${utcMinute(p.nextAt)})`,
  'integrity.probe_failed': (p) => `${repositoryEn(p)}: integrity check did not complete: ${p.error}`,
  'churn.state': (p) => {
    const subject = p.tool === 'borg' ? `borg archive ${p.snapshot}` : `restic snapshot ${p.snapshot}${p.host ? ` of ${p.host}` : ''}`;
    const findings: string[] = [];
    if (p.manyChanges && p.changed !== undefined) findings.push(`${grouped(p.changed, 'en')} ${p.changed === 1 ? 'file' : 'files'} changed, usually ~${grouped(p.usualChanged ?? 0, 'en')}`);
    if (p.muchNewData && p.newBytes !== undefined) findings.push(`${bytes(p.newBytes, 'en')} new data, usually ~${bytes(p.usualNewBytes ?? 0, 'en')}`);
    if (p.filesDropPercent !== undefined) findings.push(`${grouped(p.files ?? 0, 'en')} files, ${p.filesDropPercent} % fewer than usual (~${grouped(p.usualFiles ?? 0, 'en')})`);
    if (p.sizeDropPercent !== undefined) findings.push(`${bytes(p.sizeBytes ?? 0, 'en')}, ${p.sizeDropPercent} % smaller than usual (~${bytes(p.usualBytes ?? 0, 'en')})`);
    const compared = p.compared === 1 ? 'the snapshot before' : `the ${p.compared} before`;
    if (findings.length > 0) return `${subject}: ${findings.join('; ')} (compared with ${compared})`;
    const facts = [
      p.changed !== undefined ? `${grouped(p.changed, 'en')} ${p.changed === 1 ? 'file' : 'files'} changed${p.usualChanged !== undefined ? ` (usually ~${grouped(p.usualChanged, 'en')})` : ''}` : '',
      p.newBytes !== undefined ? `${bytes(p.newBytes, 'en')} new data${p.usualNewBytes !== undefined ? ` (usually ~${bytes(p.usualNewBytes, 'en')})` : ''}` : '',
      p.files !== undefined ? `${grouped(p.files, 'en')} ${p.files === 1 ? 'file' : 'files'}` : '',
      p.sizeBytes !== undefined ? bytes(p.sizeBytes, 'en') : '',
    ].filter(Boolean);
    return `${subject}: ${facts.join(', ')}${p.learning ? ' — too few snapshots yet to compare' : ` (compared with ${compared})`}`;
  },
  'churn.probe_failed': (p) => `${repositoryEn(p)}: snapshots cannot be compared: ${p.error}`,
};
