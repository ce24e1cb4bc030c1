/**
 * The catalogue of result message codes: what a check found, language-neutral, with typed parameters.
 * Agents send `code` + `params` beside the English `message`; the edges (dashboard, mails, reports)
 * render them per language with ./render.ts. Only flat string/number params travel (the wire schema
 * bounds them); a flag is 1 when set and absent otherwise.
 */
export type ResultParams = Record<string, string | number>;

/** Why a connection failed, as the net.* codes name it; `error` is kept verbatim only for the unmapped rest. */
export type CertProblem = 'self_signed' | 'self_signed_chain' | 'issuer_unknown' | 'expired' | 'not_yet_valid' | 'wrong_host' | 'other';
/** The state of a graded certificate. */
export type CertState = 'ok' | 'expiring' | 'expired' | 'untrusted' | 'unverified';

/** The params each code carries; optional ones add a clause to the sentence. */
export interface ResultMessageParams {
  // failures of any check
  'check.failed': { error: string };
  'check.timeout': { timeoutMs: number };
  'check.error': { subject: string; error: string };
  /** A program the collector assigned that the agent's own config does not allow (allowPrograms). */
  'check.not_allowed': { programs: string };
  // the collector's own verdict on a check whose agent went silent
  'agent.silent': { since: number };
  // network, for every kind that connects
  'net.refused': { target: string };
  'net.timeout': { target: string; timeoutMs?: number };
  'net.dns_failed': { target: string; host: string };
  'net.reset': { target: string };
  'net.unreachable': { target: string };
  'net.cert_rejected': { target: string; problem: CertProblem; error?: string };
  'net.closed': { target: string };
  'net.failed': { target: string; error: string };
  // tcp
  'tcp.connected': { target: string; latencyMs: number; slowerThanMs?: number; banner?: string };
  'tcp.banner_missing': { target: string; latencyMs: number; expected: string; ended: 'closed' | 'timeout' | 'limit' | 'error'; got?: string };
  // http
  'http.ok': HttpHead & HttpCert & { slowerThanMs?: number };
  'http.status': HttpHead & { redirectLimit?: 1 };
  'http.keyword_missing': HttpHead & { keyword: string };
  'http.keyword_found': HttpHead & { keyword: string };
  'http.body_failed': { url: string; statusCode: number; error: string };
  // tls
  'cert.expires': { target: string; issuer: string; protocol: string } & Required<Pick<HttpCert, 'certState' | 'certSubject' | 'certDate' | 'certDaysLeft'>> & Pick<HttpCert, 'certLimitDays' | 'certProblem'>;
  'cert.none': { target: string };
  // dns
  'dns.answer': { query: string; type: string; answers: string; latencyMs: number; server?: string; missing?: string; slowerThanMs?: number };
  'dns.failed': { query: string; type: string; server?: string; reason: 'nxdomain' | 'nodata' | 'servfail' | 'refused' | 'timeout' | 'conn_refused' | 'other'; error?: string };
  'dns.bad_server': { server: string; error: string };
  // ping
  'ping.result': { host: string; received: number; sent: number; lossPercent: number; rttAvgMs?: number; lossLimitPercent?: number; rttLimitMs?: number };
  'ping.no_reply': { host: string; sent: number };
  'ping.not_permitted': { host: string };
  'ping.unknown_host': { host: string };
  'ping.unparsable': { host: string };
  'ping.timeout': { host: string; timeoutMs: number };
  // local resources
  'disk.usage': { path: string; usedPercent: number; freeBytes: number; totalBytes: number; usedLimitPercent?: number; freeLimitBytes?: number };
  'disk.unreadable': { path: string; error: string };
  'memory.usage': { usedPercent: number; availableBytes: number; totalBytes: number; swapUsedPercent?: number; usedLimitPercent?: number; swapLimitPercent?: number };
  'memory.unreadable': { error: string };
  'load.average': { load1: number; load5: number; load15: number; cpus: number; perCpu: number; limitPerCpu?: number };
  'load.unsupported': Record<string, never>;
  'process.count': { count: number; match: string; matchOn: 'name' | 'commandLine'; pids?: string; min?: number; max?: number };
  'process.bad_limits': { min: number; max: number };
  'process.bad_pattern': { match: string; error: string };
  'process.no_command_line': Record<string, never>;
  'process.list_failed': { error: string };
  'service.state': { service: string; state: string; sub: string; level: 'ok' | 'changing' | 'down'; result?: string; exitStatus?: string };
  'service.not_found': { service: string };
  'service.masked': { service: string };
  'service.disabled': { service: string; startType: string };
  'service.unsupported': { platform: string };
  'service.query_failed': { service: string; error: string };
  // command plugins: their own text is the message; only the agent's own verdicts are coded
  'command.bad_exit': { exitCode: number; output: string };
  'command.timeout': { file: string; timeoutMs: number };
  'command.failed': { file: string; error: string };
  // patch
  'patch.pending': {
    manager: string; pending: number; security: number; names?: string; more?: 1; securityUnknown?: 1; securityOverdue?: 1;
    pendingForMs?: number; pendingLimitMs?: number; reboot?: 1; rebootReason?: string; indexAgeMs?: number; indexLimitMs?: number; indexTooOld?: 1; deferred?: number;
  };
  'patch.no_manager': Record<string, never>;
  'patch.probe_failed': { manager: string; error: string };
  // backup
  'backup.age': {
    subject: string; ageMs?: number; takenAt?: number; sizeBytes?: number; futureMs?: number; critAgeMs?: number; everyMs?: number; graceMs?: number;
    minSizeBytes?: number; shrunkPercent?: number; previousBytes?: number; sizeUnknown?: 1; problem?: string; groups?: number; groupsNotOk?: number;
  };
  'backup.none': { subject: string; problem?: string };
  'backup.probe_failed': { tool: string; error: string };
  // backup-integrity: times in epoch ms; earlier: the outcome of the last run, reported between two runs; error is the tool's own words
  'integrity.verified': { tool: string; repository: string; checkedAt: number; nextAt: number; subset?: string; packs?: number; chunks?: number; earlier?: 1 };
  'integrity.damaged': { tool: string; repository: string; error: string; errors: number; checkedAt: number; nextAt: number; earlier?: 1 };
  'integrity.probe_failed': { tool: string; repository: string; error: string };
  // backup-churn: the newest snapshot (restic short id, borg archive name) against the `compared` before it; usual* are their medians,
  // set when known; the flags and the *DropPercent fields only when that finding is beyond its limit
  'churn.state': {
    tool: string; snapshot: string; compared: number; host?: string; files?: number; sizeBytes?: number; changed?: number; usualChanged?: number;
    newBytes?: number; usualNewBytes?: number; manyChanges?: 1; muchNewData?: 1; filesDropPercent?: number; usualFiles?: number;
    sizeDropPercent?: number; usualBytes?: number; learning?: 1;
  };
  'churn.probe_failed': { tool: string; repository: string; error: string };
  // smart: the worst disk's findings (only those not OK); without device, every disk is healthy
  'smart.health': {
    disks: number; device?: string; model?: string; maxTemperatureC?: number; failed?: 1; failedAttribute?: string; criticalWarning?: number;
    reallocated?: number; pending?: number; uncorrectable?: number; percentUsed?: number; percentUsedLimit?: number; mediaErrors?: number;
    temperatureC?: number; temperatureLimitC?: number; otherDisksNotOk?: number; unreadable?: number;
  };
  'smart.no_disks': Record<string, never>;
  'smart.probe_failed': { device?: string; error: string };
  // firewall: backend is nftables, ufw, firewalld, windows or macos; profiles are Windows profile names
  'firewall.active': { backend: string; rules?: number };
  'firewall.inactive': { backend: string; profiles?: string; nft?: 'no_input_chain' | 'accepts_all' };
  'firewall.inbound_allowed': { backend: string; profiles: string };
  'firewall.probe_failed': { backend: string; error: string };
  // logins: counts and sources only, never a failed login's user name (it may be a mistyped password)
  'logins.summary': { failures: number; windowMs: number; topSources?: string; failureLimit?: number; newSources?: string; newCount?: number; learning?: 1 };
  'logins.probe_failed': { source: string; error: string };
  // antivirus: product is "Microsoft Defender", "ClamAV 1.4.6" or the Security Center's name of another product
  'antivirus.state': {
    product: string; off?: 1; realTimeOff?: 1; daemonStopped?: 1; outdated?: 1; threats?: number; threatNames?: string; threatWindowMs?: number;
    noSignatures?: 1; signatureAgeMs?: number; signatureLimitMs?: number; neverScanned?: 1; scanAgeMs?: number; scanLimitMs?: number;
  };
  'antivirus.probe_failed': { product: string; error: string };
  // encryption: volume lists as mount points or drive letters; method BitLocker, LUKS or FileVault
  'encryption.state': { method: string; encrypted?: string; unencrypted?: string; suspended?: string; encrypting?: string };
  'encryption.probe_failed': { error: string };
  // admins: name lists are cut to five with "(+n)"
  'admins.state': { group: string; members: number; names?: string; added?: string; removed?: string; learning?: 1 };
  'admins.probe_failed': { error: string };
  // eventlog: subject in the config's own terms ("System disk 7, 11"); latest is the newest event, cut to 160 characters
  'eventlog.matches': { subject: string; count: number; windowMs: number; limit?: number; latest?: string; latestAt?: number };
  'eventlog.probe_failed': { subject: string; error: string };
}

interface HttpHead {
  statusCode: number;
  latencyMs: number;
  redirects: number;
  finalUrl?: string;
}
interface HttpCert {
  certState?: CertState;
  certSubject?: string;
  certDate?: string;
  certDaysLeft?: number;
  /** Exact time left (agents since the time-left fix); renderers say "4 d 23 h" from it, else the whole days. */
  certLeftMs?: number;
  certLimitDays?: number;
  certProblem?: CertProblem;
}

export type ResultMessageCode = keyof ResultMessageParams;

/** Every code, for tests that walk the catalogue and for telling a known code from one a newer agent sent. */
export const RESULT_MESSAGE_CODES = Object.keys({
  'check.failed': 1, 'check.timeout': 1, 'check.error': 1, 'check.not_allowed': 1, 'agent.silent': 1,
  'net.refused': 1, 'net.timeout': 1, 'net.dns_failed': 1, 'net.reset': 1, 'net.unreachable': 1, 'net.cert_rejected': 1, 'net.closed': 1, 'net.failed': 1,
  'tcp.connected': 1, 'tcp.banner_missing': 1,
  'http.ok': 1, 'http.status': 1, 'http.keyword_missing': 1, 'http.keyword_found': 1, 'http.body_failed': 1,
  'cert.expires': 1, 'cert.none': 1,
  'dns.answer': 1, 'dns.failed': 1, 'dns.bad_server': 1,
  'ping.result': 1, 'ping.no_reply': 1, 'ping.not_permitted': 1, 'ping.unknown_host': 1, 'ping.unparsable': 1, 'ping.timeout': 1,
  'disk.usage': 1, 'disk.unreadable': 1, 'memory.usage': 1, 'memory.unreadable': 1, 'load.average': 1, 'load.unsupported': 1,
  'process.count': 1, 'process.bad_limits': 1, 'process.bad_pattern': 1, 'process.no_command_line': 1, 'process.list_failed': 1,
  'service.state': 1, 'service.not_found': 1, 'service.masked': 1, 'service.disabled': 1, 'service.unsupported': 1, 'service.query_failed': 1,
  'command.bad_exit': 1, 'command.timeout': 1, 'command.failed': 1,
  'patch.pending': 1, 'patch.no_manager': 1, 'patch.probe_failed': 1,
  'backup.age': 1, 'backup.none': 1, 'backup.probe_failed': 1,
  'integrity.verified': 1, 'integrity.damaged': 1, 'integrity.probe_failed': 1, 'churn.state': 1, 'churn.probe_failed': 1,
  'smart.health': 1, 'smart.no_disks': 1, 'smart.probe_failed': 1,
  'firewall.active': 1, 'firewall.inactive': 1, 'firewall.inbound_allowed': 1, 'firewall.probe_failed': 1,
  'logins.summary': 1, 'logins.probe_failed': 1,
  'antivirus.state': 1, 'antivirus.probe_failed': 1,
  'encryption.state': 1, 'encryption.probe_failed': 1,
  'admins.state': 1, 'admins.probe_failed': 1,
  'eventlog.matches': 1, 'eventlog.probe_failed': 1,
} satisfies Record<ResultMessageCode, 1>) as ResultMessageCode[];

export function isResultMessageCode(code: string | null | undefined): code is ResultMessageCode {
  return typeof code === 'string' && (RESULT_MESSAGE_CODES as string[]).includes(code);
}

/** A coded outcome as checks build it: the code and its typed params. */
export type CodedMessage = { [C in ResultMessageCode]: { code: C; params: ResultMessageParams[C] } }[ResultMessageCode];
