/** English result messages; the agent sends these as `message`, so they read as before codes existed. */
import type { CertProblem, CertState, ResultMessageParams } from './codes.ts';
import { bytes, duration, gib, timeLeft } from './format.ts';
import type { Renderers } from './render-types.ts';
import { securityEn } from './security.en.ts';

const CERT_PROBLEM: Record<CertProblem, string> = {
  self_signed: 'self-signed certificate',
  self_signed_chain: 'self-signed certificate in the chain',
  issuer_unknown: 'issuer unknown (missing intermediate certificate?)',
  expired: 'certificate has expired',
  not_yet_valid: 'certificate is not yet valid',
  wrong_host: 'certificate does not name this host',
  other: 'certificate not accepted',
};

const ms = (value: number) => `${value} ms`;
const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

function httpHead(p: ResultMessageParams['http.status']): string {
  const via = p.redirects > 0 && p.finalUrl ? ` after ${p.redirects} ${plural(p.redirects, 'redirect', 'redirects')} to ${p.finalUrl}` : '';
  return `HTTP ${p.statusCode} in ${ms(p.latencyMs)}${via}`;
}

function certText(p: { certState?: CertState; certSubject?: string; certDate?: string; certDaysLeft?: number; certLeftMs?: number; certLimitDays?: number; certProblem?: CertProblem }): string {
  const about = `certificate for ${p.certSubject ?? '?'}`;
  const when = p.certState === 'expired' ? `expired on ${p.certDate}` : `expires in ${(p.certLeftMs !== undefined ? timeLeft(p.certLeftMs, 'en') : `${p.certDaysLeft} d`)} (${p.certDate})`;
  const limit = p.certLimitDays !== undefined ? `, limit ${p.certLimitDays} d` : '';
  switch (p.certState) {
    case 'unverified':
      return `${about} ${when}, not verified (ignoreTls)`;
    case 'untrusted':
      return `${about} is not trusted: ${CERT_PROBLEM[p.certProblem ?? 'other']}; ${when}`;
    default:
      return `${about} ${when}${limit}`;
  }
}

export const en: Renderers = {
  'check.failed': (p) => `check failed: ${p.error}`,
  'check.timeout': (p) => `check did not finish within ${ms(p.timeoutMs)}`,
  'check.error': (p) => `${p.subject}: ${p.error}`,
  'check.not_allowed': (p) => `not allowed on this machine: ${p.programs} is not in allowPrograms of the agent's config file, so the collector cannot make it run`,
  'agent.silent': (p) => `agent silent since ${new Date(p.since).toISOString()}`,

  'net.refused': (p) => `Connection to ${p.target} refused`,
  'net.timeout': (p) => (p.timeoutMs === undefined ? `Connection to ${p.target} timed out` : `${p.target}: no answer within ${ms(p.timeoutMs)}`),
  'net.dns_failed': (p) => `${p.target}: name ${p.host} does not resolve`,
  'net.reset': (p) => `Connection to ${p.target} reset by the other side`,
  'net.unreachable': (p) => `${p.target} is unreachable (no route)`,
  // the OpenSSL code stays beside the sentence: it is what one searches for
  'net.cert_rejected': (p) => `${p.target}: ${CERT_PROBLEM[p.problem]}${p.error ? ` (${p.error})` : ''}`,
  'net.closed': (p) => `${p.target}: the server closed the connection`,
  'net.failed': (p) => `${p.target}: ${p.error}`,

  'tcp.connected': (p) =>
    `${p.target} accepted a connection in ${ms(p.latencyMs)}${p.slowerThanMs !== undefined ? ` (slower than ${ms(p.slowerThanMs)})` : ''}${p.banner !== undefined ? `: ${p.banner}` : ''}`,
  'tcp.banner_missing': (p) => {
    const ended = { closed: 'the server closed the connection', timeout: 'timed out', limit: 'no match in the first 64 KiB', error: 'read error' }[p.ended];
    return `${p.target} connected in ${ms(p.latencyMs)} but "${p.expected}" not received (${ended}; ${p.got ? `got "${p.got}"` : 'got nothing'})`;
  },

  'http.ok': (p) => {
    const notes: string[] = [];
    if (p.slowerThanMs !== undefined) notes.push(`slower than ${ms(p.slowerThanMs)}`);
    if (p.certState) notes.push(certText(p));
    return notes.length ? `${httpHead(p)}: ${notes.join('; ')}` : httpHead(p);
  },
  'http.status': (p) => `${httpHead(p)}: status not accepted${p.redirectLimit ? ' (redirect limit reached)' : ''}`,
  'http.keyword_missing': (p) => `${httpHead(p)}: "${p.keyword}" not found in the body`,
  'http.keyword_found': (p) => `${httpHead(p)}: "${p.keyword}" found in the body`,
  'http.body_failed': (p) => `${p.url}: HTTP ${p.statusCode}, reading the body failed: ${p.error}`,

  'cert.expires': (p) => `${p.target}: ${certText(p)} (${p.protocol}, issuer ${p.issuer})`,
  'cert.none': (p) => `${p.target}: the server sent no certificate`,

  'dns.answer': (p) => {
    const head = `${p.query} ${p.type} → ${p.answers || '(none)'} in ${ms(p.latencyMs)}${p.server ? ` via ${p.server}` : ''}`;
    if (p.missing) return `${head}: expected ${p.missing} missing`;
    return p.slowerThanMs !== undefined ? `${head}: slower than ${ms(p.slowerThanMs)}` : head;
  },
  'dns.failed': (p) => {
    const reason = {
      nxdomain: `${p.query} does not exist (NXDOMAIN)`,
      nodata: `${p.query} has no ${p.type} record`,
      servfail: `the server failed to answer for ${p.query} (SERVFAIL)`,
      refused: `the server refused to answer for ${p.query} (REFUSED)`,
      timeout: 'no answer from the DNS server',
      conn_refused: 'the DNS server refused the connection',
      other: p.error ?? 'lookup failed',
    }[p.reason];
    return `${p.query} ${p.type}${p.server ? ` via ${p.server}` : ''}: ${reason}`;
  },
  'dns.bad_server': (p) => `server "${p.server}" is not usable: ${p.error}`,

  'ping.result': (p) => {
    const head = `${p.host}: ${p.received}/${p.sent} replies, ${p.lossPercent} % loss${p.rttAvgMs !== undefined ? `, rtt avg ${p.rttAvgMs} ms` : ''}`;
    const reasons: string[] = [];
    if (p.lossLimitPercent !== undefined) reasons.push(`loss ≥ ${p.lossLimitPercent} %`);
    if (p.rttLimitMs !== undefined) reasons.push(`rtt ≥ ${p.rttLimitMs} ms`);
    return reasons.length ? `${head} (${reasons.join(', ')})` : head;
  },
  'ping.no_reply': (p) => `${p.host}: 0/${p.sent} replies, 100 % loss: no reply`,
  'ping.not_permitted': (p) => `${p.host}: ping is not allowed to send ICMP here`,
  'ping.unknown_host': (p) => `${p.host}: name does not resolve`,
  'ping.unparsable': (p) => `${p.host}: ping gave no statistics`,
  'ping.timeout': (p) => `${p.host}: ping did not finish within ${ms(p.timeoutMs)}`,

  'disk.usage': (p) => {
    const head = `${p.path}: ${p.usedPercent} % used, ${gib(p.freeBytes, 'en')} free of ${gib(p.totalBytes, 'en')}`;
    const reasons: string[] = [];
    if (p.usedLimitPercent !== undefined) reasons.push(`over ${p.usedLimitPercent} % used`);
    if (p.freeLimitBytes !== undefined) reasons.push(`less than ${gib(p.freeLimitBytes, 'en')} free`);
    return reasons.length ? `${head} (${reasons.join(', ')})` : head;
  },
  'disk.unreadable': (p) => `${p.path}: cannot read file system usage: ${p.error}`,
  'memory.usage': (p) => {
    let head = `memory ${p.usedPercent} % used, ${gib(p.availableBytes, 'en')} available of ${gib(p.totalBytes, 'en')}`;
    if (p.swapUsedPercent !== undefined) head += `, swap ${p.swapUsedPercent} % used`;
    const reasons: string[] = [];
    if (p.usedLimitPercent !== undefined) reasons.push(`over ${p.usedLimitPercent} % used`);
    if (p.swapLimitPercent !== undefined) reasons.push(`swap over ${p.swapLimitPercent} % used`);
    return reasons.length ? `${head} (${reasons.join(', ')})` : head;
  },
  'memory.unreadable': (p) => `cannot read memory usage: ${p.error}`,
  'load.average': (p) => {
    const head = `load ${p.load1.toFixed(2)}, ${p.load5.toFixed(2)}, ${p.load15.toFixed(2)} on ${p.cpus} CPUs (${p.perCpu} per CPU over 5 min)`;
    return p.limitPerCpu !== undefined ? `${head}: ≥ ${p.limitPerCpu} per CPU` : head;
  },
  'load.unsupported': () => 'Windows has no load average; use a command check for CPU queue length',

  'process.count': (p) => {
    const what = p.matchOn === 'name' ? `"${p.match}"` : `command line /${p.match}/`;
    const head = `${p.count} ${plural(p.count, 'process', 'processes')} matching ${what}${p.pids ? ` (PID ${p.pids})` : ''}`;
    if (p.min !== undefined) return `${head}, expected at least ${p.min}`;
    return p.max !== undefined ? `${head}, expected at most ${p.max}` : head;
  },
  'process.bad_limits': (p) => `config: maxCount ${p.max} is below minCount ${p.min}`,
  'process.bad_pattern': (p) => `config: invalid pattern /${p.match}/: ${p.error}`,
  'process.no_command_line': () => 'matchOn commandLine is not available on Windows (tasklist shows names only); use matchOn name',
  'process.list_failed': (p) => `cannot list processes: ${p.error}`,

  'service.state': (p) =>
    `${p.service} is ${p.state}${p.sub ? ` (${p.sub})` : ''}${p.result ? `, result ${p.result}` : ''}${p.exitStatus ? `, last exit status ${p.exitStatus}` : ''}`,
  'service.not_found': (p) => `${p.service}: no such service`,
  'service.masked': (p) => `${p.service} is masked and cannot run`,
  'service.disabled': (p) => `${p.service} is disabled (start type ${p.startType})`,
  'service.unsupported': (p) => `service checks are not supported on ${p.platform}`,
  'service.query_failed': (p) => `${p.service}: ${p.error}`,

  'command.bad_exit': (p) => `exit code ${p.exitCode} is not a plugin status (0–3): ${p.output}`,
  'command.timeout': (p) => `${p.file} did not finish within ${ms(p.timeoutMs)} (killed)`,
  'command.failed': (p) => `${p.file}: ${p.error}`,

  'patch.pending': (p) => {
    const parts: string[] = [];
    if (p.pending === 0) parts.push('no updates pending');
    else {
      const sec = p.securityUnknown ? ', security unknown' : `, ${p.security} security`;
      parts.push(`${p.pending} updates pending${sec}${p.names ? ` (${p.names}${p.more ? ', …' : ''})` : ''}`);
    }
    if (p.deferred) parts.push(`${p.deferred} phased updates deferred`);
    if (p.indexAgeMs !== undefined) parts.push(`index ${duration(p.indexAgeMs, 'en')} old`);
    const reasons: string[] = [];
    if (p.securityOverdue) reasons.push(`${p.security} security updates pending`);
    if (p.pendingForMs !== undefined && p.pendingLimitMs !== undefined) reasons.push(`updates pending for ${duration(p.pendingForMs, 'en')} (limit ${duration(p.pendingLimitMs, 'en')})`);
    if (p.reboot) reasons.push(`reboot required${p.rebootReason ? ` (${p.rebootReason})` : ''}`);
    if (p.indexTooOld && p.indexAgeMs !== undefined && p.indexLimitMs !== undefined) {
      reasons.push(`package index ${duration(p.indexAgeMs, 'en')} old (limit ${duration(p.indexLimitMs, 'en')}): updates since then are not seen`);
    }
    const head = `${p.manager}: ${parts.join('; ')}`;
    return reasons.length ? `${head} — ${reasons.join('; ')}` : head;
  },
  'patch.no_manager': () => 'no supported package manager found (looked for apt-get, dnf, yum, zypper, apk, checkupdates)',
  'patch.probe_failed': (p) => `${p.manager}: ${p.error}`,

  'backup.age': (p) => {
    let head = p.futureMs !== undefined && p.takenAt !== undefined ? `${p.subject} from ${new Date(p.takenAt).toISOString()}` : `${p.subject}, ${duration(p.ageMs ?? 0, 'en')} old`;
    if (p.sizeBytes !== undefined) head += `, ${bytes(p.sizeBytes, 'en')}`;
    const reasons: string[] = [];
    if (p.futureMs !== undefined) reasons.push(`its time lies ${duration(p.futureMs, 'en')} in the future: check the clocks`);
    if (p.critAgeMs !== undefined) reasons.push(`older than the ${duration(p.critAgeMs, 'en')} limit`);
    if (p.everyMs !== undefined && p.graceMs !== undefined) reasons.push(`older than expected (every ${duration(p.everyMs, 'en')} + ${duration(p.graceMs, 'en')} grace)`);
    if (p.minSizeBytes !== undefined) reasons.push(`smaller than the expected ${bytes(p.minSizeBytes, 'en')}`);
    if (p.shrunkPercent !== undefined && p.previousBytes !== undefined) reasons.push(`${p.shrunkPercent} % smaller than the backup before (${bytes(p.previousBytes, 'en')})`);
    if (p.sizeUnknown) reasons.push('its size is unknown, so the size limits cannot be checked');
    if (p.problem) reasons.push(p.problem);
    const groups = p.groups !== undefined ? `; ${p.groups} groups, ${p.groupsNotOk ?? 0} not OK` : '';
    return (reasons.length ? `${head} (${reasons.join('; ')})` : head) + groups;
  },
  'backup.none': (p) => `${p.subject}: no backup found${p.problem ? ` (${p.problem})` : ''}`,
  'backup.probe_failed': (p) => `${p.tool} backup probe failed: ${p.error}`,

  ...securityEn,
};
