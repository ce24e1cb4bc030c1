import t from 'tap';
import { Value } from '@sinclair/typebox/value';
import {
  RESULT_MESSAGE_CODES,
  ResultSchema,
  checkDisplayName,
  coded,
  netFailure,
  renderResultMessage,
  type ResultMessageCode,
  type ResultMessageParams,
} from '../src/index.ts';

const DAY = 86_400_000;
/** One set of params per code; a code without an example is a type error here, so the walk below covers the catalogue. */
const examples: { [C in ResultMessageCode]: ResultMessageParams[C] } = {
  'check.failed': { error: 'boom' },
  'check.timeout': { timeoutMs: 5000 },
  'check.error': { subject: 'https://example.de/', error: 'cannot read caFile /etc/ca.pem' },
  'check.not_allowed': { programs: '/usr/lib/nagios/plugins/check_raid' },
  'agent.silent': { since: Date.UTC(2026, 4, 1, 12) },
  'net.refused': { target: '127.0.0.1:18511' },
  'net.timeout': { target: '10.0.0.1:22', timeoutMs: 3000 },
  'net.dns_failed': { target: 'https://nope.example/', host: 'nope.example' },
  'net.reset': { target: '10.0.0.1:443' },
  'net.unreachable': { target: '10.0.0.9:22' },
  'net.cert_rejected': { target: 'https://self.example/', problem: 'self_signed' },
  'net.closed': { target: 'https://example.de/' },
  'net.failed': { target: 'https://example.de/', error: 'redirect 1 points to ftp:' },
  'tcp.connected': { target: '127.0.0.1:22', latencyMs: 3, slowerThanMs: 2, banner: 'SSH-2.0-OpenSSH_9.2p1' },
  'tcp.banner_missing': { target: '127.0.0.1:25', latencyMs: 3, expected: '220', ended: 'closed', got: 'hello' },
  'http.ok': { statusCode: 200, latencyMs: 35, redirects: 1, finalUrl: 'https://example.de/home', slowerThanMs: 30, certState: 'expiring', certSubject: 'example.de', certDate: '2026-05-01', certDaysLeft: 12, certLimitDays: 14 },
  'http.status': { statusCode: 503, latencyMs: 12, redirects: 0 },
  'http.keyword_missing': { statusCode: 200, latencyMs: 12, redirects: 0, keyword: 'Welcome' },
  'http.keyword_found': { statusCode: 200, latencyMs: 12, redirects: 0, keyword: 'Error' },
  'http.body_failed': { url: 'https://example.de/', statusCode: 200, error: 'aborted' },
  'cert.expires': { target: 'mail.example.de:993', issuer: 'R11', protocol: 'TLSv1.3', certState: 'untrusted', certSubject: 'mail.example.de', certDate: '2026-05-01', certDaysLeft: 12, certProblem: 'issuer_unknown' },
  'cert.none': { target: 'mail.example.de:993' },
  'dns.answer': { query: 'example.de', type: 'A', answers: '1.2.3.4', latencyMs: 4, server: '1.1.1.1', missing: '5.6.7.8' },
  'dns.failed': { query: 'example.de', type: 'MX', reason: 'nodata' },
  'dns.bad_server': { server: 'x', error: 'bad address' },
  'ping.result': { host: '10.0.0.1', received: 2, sent: 3, lossPercent: 33.3, rttAvgMs: 1.5, lossLimitPercent: 20 },
  'ping.no_reply': { host: '10.0.0.1', sent: 3 },
  'ping.not_permitted': { host: '10.0.0.1' },
  'ping.unknown_host': { host: 'nope.example' },
  'ping.unparsable': { host: '10.0.0.1' },
  'ping.timeout': { host: '10.0.0.1', timeoutMs: 5000 },
  'disk.usage': { path: '/', usedPercent: 91.5, freeBytes: 2 * 1024 ** 3, totalBytes: 50 * 1024 ** 3, usedLimitPercent: 90 },
  'disk.unreadable': { path: '/mnt/x', error: 'ENOENT' },
  'memory.usage': { usedPercent: 50.5, availableBytes: 4 * 1024 ** 3, totalBytes: 8 * 1024 ** 3, swapUsedPercent: 10, swapLimitPercent: 5 },
  'memory.unreadable': { error: 'EACCES' },
  'load.average': { load1: 1, load5: 2.5, load15: 3, cpus: 2, perCpu: 1.25, limitPerCpu: 1 },
  'load.unsupported': {},
  'process.count': { count: 0, match: 'nginx', matchOn: 'name', min: 1 },
  'process.bad_limits': { min: 3, max: 1 },
  'process.bad_pattern': { match: '(', error: 'Unterminated group' },
  'process.no_command_line': {},
  'process.list_failed': { error: 'EACCES' },
  'service.state': { service: 'nginx.service', state: 'failed', sub: 'failed', level: 'down', result: 'exit-code', exitStatus: '1' },
  'service.not_found': { service: 'nope.service' },
  'service.masked': { service: 'x.service' },
  'service.disabled': { service: 'Spooler', startType: 'DISABLED' },
  'service.unsupported': { platform: 'aix' },
  'service.query_failed': { service: 'x', error: 'systemctl not found' },
  'command.bad_exit': { exitCode: 7, output: 'weird' },
  'command.timeout': { file: '/usr/lib/nagios/plugins/check_x', timeoutMs: 10_000 },
  'command.failed': { file: '/x', error: 'not found' },
  'patch.pending': { manager: 'apt', pending: 7, security: 2, names: 'openssl, curl', more: 1, securityOverdue: 1, pendingForMs: 9 * DAY, pendingLimitMs: 7 * DAY, reboot: 1, indexAgeMs: 3 * DAY, indexLimitMs: 2 * DAY, indexTooOld: 1, deferred: 1 },
  'patch.no_manager': {},
  'patch.probe_failed': { manager: 'apt', error: 'apt-get exited with 100' },
  'backup.age': { subject: 'restic snapshot 4f3a1b2c of srv1', ageMs: 3 * DAY, sizeBytes: 5 * 1024 ** 3, critAgeMs: 2 * DAY, minSizeBytes: 10 * 1024 ** 3, shrunkPercent: 40, previousBytes: 9 * 1024 ** 3, groups: 3, groupsNotOk: 1 },
  'backup.none': { subject: 'borg repository /srv/borg' },
  'backup.probe_failed': { tool: 'restic', error: 'wrong password' },
  'integrity.verified': { tool: 'restic', repository: '/srv/restic', checkedAt: Date.UTC(2026, 10, 25, 3, 12), nextAt: Date.UTC(2026, 11, 2, 3, 12), subset: '2/4', packs: 12, earlier: 1 },
  'integrity.damaged': { tool: 'borg', repository: '/srv/borg', error: 'Data integrity error: Segment entry checksum mismatch [segment 2, offset 180764]', errors: 3, checkedAt: Date.UTC(2026, 10, 25, 3, 12), nextAt: Date.UTC(2026, 11, 2, 3, 12) },
  'integrity.probe_failed': { tool: 'restic', repository: '/srv/restic', error: 'restic cannot open /srv/restic: wrong password' },
  'churn.state': { tool: 'restic', snapshot: '2ff9051b', host: 'srv1', compared: 5, files: 48_210, sizeBytes: 2_000_000_000, changed: 48_000, usualChanged: 300, manyChanges: 1 },
  'churn.probe_failed': { tool: 'borg', repository: '/srv/borg', error: 'borg cannot open /srv/borg: wrong passphrase' },
  'smart.health': { disks: 2, device: '/dev/sdb', model: 'WDC WD40EFRX', failed: 1, reallocated: 1912, pending: 24, temperatureC: 58, temperatureLimitC: 55, otherDisksNotOk: 1 },
  'smart.no_disks': {},
  'smart.probe_failed': { device: '/dev/sda', error: 'smartctl cannot read /dev/sda: Permission denied' },
  'firewall.active': { backend: 'nftables', rules: 4 },
  'firewall.inactive': { backend: 'windows', profiles: 'Public' },
  'firewall.inbound_allowed': { backend: 'windows', profiles: 'Private' },
  'firewall.probe_failed': { backend: 'nftables', error: 'nft list ruleset: Operation not permitted (you must be root)' },
  'logins.summary': { failures: 57, windowMs: 900_000, topSources: '203.0.113.9 (40), 198.51.100.2 (17)', failureLimit: 30, newSources: 'root@198.51.100.7', newCount: 1 },
  'logins.probe_failed': { source: 'journald', error: 'the journal is empty or cannot be read' },
  'antivirus.state': { product: 'Microsoft Defender', realTimeOff: 1, threats: 2, threatNames: 'Trojan:Win32/Wacatac.B!ml', threatWindowMs: DAY, signatureAgeMs: 9 * DAY, signatureLimitMs: 7 * DAY, scanAgeMs: 20 * DAY, scanLimitMs: 14 * DAY },
  'antivirus.probe_failed': { product: 'clamav', error: 'clamscan is not installed (package clamav)' },
  'encryption.state': { method: 'BitLocker', encrypted: 'C:', unencrypted: 'D:', suspended: 'E:' },
  'encryption.probe_failed': { error: 'Get-BitLockerVolume needs an administrator' },
  'admins.state': { group: 'Administrators', members: 3, names: 'PC-EMPFANG\\Administrator, PC-EMPFANG\\it-service, PC-EMPFANG\\support2', added: 'PC-EMPFANG\\support2', removed: 'PC-EMPFANG\\azubi' },
  'admins.probe_failed': { error: 'getent group sudo: exit code 1' },
  'eventlog.matches': { subject: 'System disk 7, 11', count: 3, windowMs: 3_600_000, limit: 1, latest: 'disk 7: The device, \\Device\\Harddisk1\\DR1, has a bad block.', latestAt: Date.UTC(2026, 10, 25, 3, 12) },
  'eventlog.probe_failed': { subject: 'unit backup.service', error: 'the journal is empty or cannot be read' },
};

t.test('every code has a German and an English text, and they differ', async (t) => {
  t.ok(RESULT_MESSAGE_CODES.length >= 50, 'the catalogue is walked, not an empty list');
  for (const code of RESULT_MESSAGE_CODES) {
    const params = coded(code, examples[code] as never).params;
    const en = renderResultMessage(code, params, 'en', 'FALLBACK');
    const de = renderResultMessage(code, params, 'de', 'FALLBACK');
    for (const [lang, text] of [['en', en], ['de', de]] as const) {
      t.not(text, 'FALLBACK', `${code} renders in ${lang}`);
      t.notMatch(text, /undefined|NaN|\[object/, `${code} in ${lang} has no hole: ${text}`);
    }
    t.not(de, en, `${code}: German is not the English text (${de})`);
  }
});

t.test('every example fits the wire schema: code pattern, params bounds', async (t) => {
  for (const code of RESULT_MESSAGE_CODES) {
    const { params, message } = coded(code, examples[code] as never);
    const result = { seq: 1, checkId: 'c', kind: 'tcp', status: 'OK', message, metrics: {}, startedAt: 0, finishedAt: 0, code, params };
    t.ok(Value.Check(ResultSchema, result), `${code} with its params is a valid Result`);
  }
});

t.test('the schema bounds params: 17 keys or a 201-char string is refused, old results without code are valid', async (t) => {
  const base = { seq: 1, checkId: 'c', kind: 'tcp', status: 'OK', message: 'm', metrics: {}, startedAt: 0, finishedAt: 0 };
  t.ok(Value.Check(ResultSchema, base), 'no code, no params: an old agent');
  const many = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, i]));
  t.notOk(Value.Check(ResultSchema, { ...base, code: 'net.refused', params: many }));
  t.notOk(Value.Check(ResultSchema, { ...base, code: 'net.refused', params: { target: 'x'.repeat(201) } }));
  t.notOk(Value.Check(ResultSchema, { ...base, code: 'Net.Refused' }), 'code pattern');
  t.notOk(Value.Check(ResultSchema, { ...base, code: 'net.refused', params: { target: { nested: 1 } } }), 'only strings and numbers');
});

t.test('refused connection: one address, no errno, in both languages', async (t) => {
  const error = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:18511'), { code: 'ECONNREFUSED' });
  const failure = netFailure(error, '127.0.0.1:18511');
  t.same(failure, { code: 'net.refused', params: { target: '127.0.0.1:18511' } });
  t.equal(renderResultMessage(failure.code, failure.params, 'de', ''), 'Verbindung zu 127.0.0.1:18511 abgelehnt');
  t.equal(renderResultMessage(failure.code, failure.params, 'en', ''), 'Connection to 127.0.0.1:18511 refused');
});

t.test('errno codes map to net codes, also through undici and happy-eyeballs wrappers', async (t) => {
  const err = (code: string, message = code) => Object.assign(new Error(message), { code });
  t.equal(netFailure(err('ETIMEDOUT'), 'h:1').code, 'net.timeout');
  t.same(netFailure(Object.assign(err('ENOTFOUND', 'getaddrinfo ENOTFOUND nope.example'), { hostname: 'nope.example' }), 'nope.example:80'), {
    code: 'net.dns_failed', params: { target: 'nope.example:80', host: 'nope.example' },
  });
  t.equal(netFailure(err('ECONNRESET'), 'h:1').code, 'net.reset');
  t.equal(netFailure(err('EHOSTUNREACH'), 'h:1').code, 'net.unreachable');
  t.match(netFailure(err('DEPTH_ZERO_SELF_SIGNED_CERT'), 'h:1'), { code: 'net.cert_rejected', params: { problem: 'self_signed' } });
  t.match(netFailure(err('CERT_HAS_EXPIRED'), 'h:1'), { code: 'net.cert_rejected', params: { problem: 'expired' } });
  t.equal(netFailure(new Error('fetch failed', { cause: err('ECONNREFUSED') }), 'h:1').code, 'net.refused', 'cause');
  t.equal(netFailure(Object.assign(new AggregateError([err('ECONNREFUSED')]), {}), 'h:1').code, 'net.refused', 'AggregateError');
  t.same(netFailure(new Error('something odd'), 'h:1'), { code: 'net.failed', params: { target: 'h:1', error: 'something odd' } });
  t.same(netFailure(err('ECONNREFUSED'), 'h:1', { timedOutAfterMs: 300 }), { code: 'net.timeout', params: { target: 'h:1', timeoutMs: 300 } }, 'the deadline wins');
});

t.test('results without a code, or with one this version does not know, show their stored message', async (t) => {
  t.equal(renderResultMessage(undefined, undefined, 'de', 'old english text'), 'old english text');
  t.equal(renderResultMessage(null, null, 'de', 'old english text'), 'old english text');
  t.equal(renderResultMessage('future.code', { a: 1 }, 'de', 'from a newer agent'), 'from a newer agent');
  t.equal(renderResultMessage('net.refused', {}, 'de', 'params missing'), 'params missing', 'a hole in the text falls back too');
});

t.test('German numbers use a decimal comma; unknown languages get English', async (t) => {
  t.match(renderResultMessage('disk.usage', coded('disk.usage', examples['disk.usage']).params, 'de', ''), /^\/: 91,5 % belegt, 2,0 GiB frei von 50,0 GiB \(über 90 % belegt\)$/);
  t.equal(renderResultMessage('net.refused', { target: 'a:1' }, 'fr', ''), 'Connection to a:1 refused');
});

t.test('a check without a name gets a default per language from kind and target', async (t) => {
  t.equal(checkDisplayName({ id: 'patches', name: 'patches', kind: 'patch' }, 'de'), 'Patchstand');
  t.equal(checkDisplayName({ id: 'patches', name: null, kind: 'patch' }, 'en'), 'Patch status');
  t.equal(checkDisplayName({ id: 'disk-root', name: 'disk-root', kind: 'disk' }, 'de', { path: '/' }), 'Datenträger /');
  t.equal(checkDisplayName({ id: 'disk-root', name: 'disk-root', kind: 'disk' }, 'en', { path: '/' }), 'Disk /');
  t.equal(checkDisplayName({ id: 'web', name: 'Shop', kind: 'http' }, 'de'), 'Shop', 'a configured name is kept');
  t.equal(checkDisplayName({ id: 'x', name: 'x', kind: 'newkind' }, 'de'), 'x', 'an unknown kind shows its id');
});
