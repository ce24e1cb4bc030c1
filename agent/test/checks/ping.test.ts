import t from 'tap';
import { existsSync } from 'node:fs';
import { checkPingOn, evaluatePing, parsePing, pingArgs } from '../../src/checks/ping.ts';
import { execProgram } from '../../src/exec.ts';
import { fixture } from '../helpers/fixtures.ts';
import { checkContext } from './helpers/context.ts';

const config = { kind: 'ping' as const, id: 'gw', host: '192.168.1.1' };

t.test('iputils statistics are parsed from real output', async (t) => {
  t.same(parsePing(fixture('ping', 'linux-ok.txt')), { kind: 'summary', transmitted: 3, received: 3, lossPercent: 0, rttMinMs: 0.026, rttAvgMs: 0.036, rttMaxMs: 0.043 });
  t.same(parsePing(fixture('ping', 'linux-ipv6-ok.txt')), { kind: 'summary', transmitted: 2, received: 2, lossPercent: 0, rttMinMs: 0.023, rttAvgMs: 0.034, rttMaxMs: 0.045 });
  t.same(parsePing(fixture('ping', 'linux-all-lost.txt')), { kind: 'summary', transmitted: 3, received: 0, lossPercent: 100 });
});

t.test('macOS and Windows summaries are parsed too', async (t) => {
  t.match(parsePing(fixture('ping', 'macos-ok.txt')), { kind: 'summary', transmitted: 5, received: 5, lossPercent: 0, rttAvgMs: 57.731 });
  t.match(parsePing(fixture('ping', 'windows-partial-loss.txt')), { kind: 'summary', transmitted: 4, received: 2, lossPercent: 50, rttAvgMs: 14, rttMaxMs: 15 });
});

t.test('not permitted is UNKNOWN, an unknown host CRIT, garbage UNKNOWN', async (t) => {
  const denied = evaluatePing(config, parsePing(fixture('ping', 'linux-not-permitted.txt')));
  t.equal(denied.status, 'UNKNOWN');
  t.match(denied.message, /not allowed to send ICMP here \(ping: socktype: SOCK_RAW\)/);
  const unknownHost = evaluatePing(config, parsePing(fixture('ping', 'linux-unknown-host.txt')));
  t.equal(unknownHost.status, 'CRIT');
  t.match(unknownHost.message, /name does not resolve/);
  t.equal(evaluatePing(config, parsePing('Segmentation fault\n')).status, 'UNKNOWN');
  t.equal(evaluatePing(config, parsePing('')).status, 'UNKNOWN');
});

t.test('loss and round-trip thresholds', async (t) => {
  const lost = evaluatePing(config, parsePing(fixture('ping', 'linux-all-lost.txt')));
  t.equal(lost.status, 'CRIT');
  t.match(lost.message, /0\/3 replies, 100 % loss: no reply/);
  const partial = parsePing(fixture('ping', 'windows-partial-loss.txt'));
  t.equal(evaluatePing(config, partial).status, 'WARN', '50 % ≥ default 20 %');
  t.equal(evaluatePing({ ...config, lossCritPercent: 50 }, partial).status, 'CRIT');
  const ok = parsePing(fixture('ping', 'linux-ok.txt'));
  const graded = evaluatePing(config, ok);
  t.equal(graded.status, 'OK');
  t.same(graded.metrics, { loss_percent: 0, sent_count: 3, received_count: 3, rtt_avg_ms: 0.036, rtt_min_ms: 0.026, rtt_max_ms: 0.043 });
  t.equal(evaluatePing({ ...config, rttWarn: '50ms' }, parsePing(fixture('ping', 'macos-ok.txt'))).status, 'WARN');
});

t.test('arguments stop ping before the check timeout on each platform', async (t) => {
  t.same(pingArgs('linux', 'h', 3, 10_000).args, ['-n', '-c', '3', '-i', '0.2', '-w', '9', 'h']);
  t.same(pingArgs('darwin', 'h', 3, 10_000).args, ['-n', '-c', '3', '-t', '9', 'h']);
  t.same(pingArgs('win32', 'h', 4, 10_000).args, ['-n', '4', '-w', '2400', 'h']);
});

t.test('a missing ping program is UNKNOWN, not "host down"', async (t) => {
  const ctx = checkContext({ exec: (_file, args, options) => execProgram('/nonexistent/ping', args, options) });
  t.teardown(ctx.dispose);
  const outcome = await checkPingOn('linux', config, ctx);
  t.equal(outcome.status, 'UNKNOWN');
  t.match(outcome.message, /not installed/);
});

const havePing = existsSync('/usr/bin/ping') || existsSync('/bin/ping');
t.test('the real ping reaches 127.0.0.1', { skip: havePing ? false : 'iputils-ping is not installed (CI installs it via .ci/run)' }, async (t) => {
  const ctx = checkContext({ timeoutMs: 5_000 });
  t.teardown(ctx.dispose);
  const outcome = await checkPingOn(process.platform, { kind: 'ping', id: 'lo', host: '127.0.0.1', count: 2 }, ctx);
  if (outcome.status === 'UNKNOWN') {
    t.match(outcome.message, /not allowed/, 'without CAP_NET_RAW the real ping is UNKNOWN with the reason');
    return;
  }
  t.equal(outcome.status, 'OK', outcome.message);
  t.equal(outcome.metrics!.received_count, 2);
});
