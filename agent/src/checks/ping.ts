/** ICMP echo through the system's ping: collect (run it) → parse (its summary) → evaluate (loss and rtt). */
import { parseDuration, withCode, type PingCheckConfig, type Status } from '@nines/shared';
import type { CheckContext, CheckDefinition, CheckOutcome } from './check.ts';

const PING_INTERVAL_S = 0.2; // the shortest interval iputils allows unprivileged users; keeps a 3-ping check under a second

/** The arguments for the platform's ping, so it ends on its own before our timeout kills it. */
export function pingArgs(platform: NodeJS.Platform, host: string, count: number, timeoutMs: number): { file: string; args: string[] } {
  const deadlineS = Math.max(1, Math.floor((timeoutMs - 500) / 1000));
  switch (platform) {
    case 'win32':
      return { file: 'ping', args: ['-n', String(count), '-w', String(Math.max(500, Math.floor(timeoutMs / count) - 100)), host] };
    case 'darwin':
    case 'freebsd':
    case 'openbsd':
      return { file: 'ping', args: ['-n', '-c', String(count), '-t', String(deadlineS), host] };
    default:
      return { file: 'ping', args: ['-n', '-c', String(count), '-i', String(PING_INTERVAL_S), '-w', String(deadlineS), host] };
  }
}

export type PingSummary =
  | { kind: 'summary'; transmitted: number; received: number; lossPercent: number; rttMinMs?: number; rttAvgMs?: number; rttMaxMs?: number }
  | { kind: 'not-permitted' | 'unknown-host' | 'unparsable'; text: string };

/** Reads the statistics block of iputils, BSD/macOS or Windows ping (English), or names why there is none. */
export function parsePing(output: string): PingSummary {
  const firstLine = output.trim().split(/\r?\n/).find(Boolean) ?? '';
  const unix = /(\d+) packets transmitted, (\d+) (?:packets )?received.*?([\d.]+)% packet loss/.exec(output);
  const windows = /Packets: Sent = (\d+), Received = (\d+), Lost = \d+ \((\d+)% loss\)/.exec(output);
  const counts = unix ?? windows;
  if (counts) {
    const summary: PingSummary = { kind: 'summary', transmitted: Number(counts[1]), received: Number(counts[2]), lossPercent: Number(counts[3]) };
    const unixRtt = /(?:rtt|round-trip) min\/avg\/max\/(?:mdev|stddev) = ([\d.]+)\/([\d.]+)\/([\d.]+)/.exec(output);
    const windowsRtt = /Minimum = (\d+)ms, Maximum = (\d+)ms, Average = (\d+)ms/.exec(output);
    if (unixRtt) Object.assign(summary, { rttMinMs: Number(unixRtt[1]), rttAvgMs: Number(unixRtt[2]), rttMaxMs: Number(unixRtt[3]) });
    else if (windowsRtt) Object.assign(summary, { rttMinMs: Number(windowsRtt[1]), rttAvgMs: Number(windowsRtt[3]), rttMaxMs: Number(windowsRtt[2]) });
    return summary;
  }
  if (/Operation not permitted|Permission denied|missing cap_net_raw|must be root/i.test(output)) return { kind: 'not-permitted', text: firstLine };
  if (/Name or service not known|cannot resolve|Unknown host|could not find host|Temporary failure in name resolution|No address associated/i.test(output)) {
    return { kind: 'unknown-host', text: firstLine };
  }
  return { kind: 'unparsable', text: firstLine };
}

export function evaluatePing(config: PingCheckConfig, summary: PingSummary): CheckOutcome {
  const host = config.host;
  switch (summary.kind) {
    case 'not-permitted':
      return { status: 'UNKNOWN', message: `${host}: ping is not allowed to send ICMP here (${summary.text})`, ...withCode('ping.not_permitted', { host }) };
    case 'unknown-host':
      return { status: 'CRIT', message: `${host}: name does not resolve (${summary.text})`, ...withCode('ping.unknown_host', { host }) };
    case 'unparsable':
      return { status: 'UNKNOWN', message: `${host}: ping gave no statistics (${summary.text || 'no output'})`, ...withCode('ping.unparsable', { host }) };
  }
  const metrics: Record<string, number> = { loss_percent: summary.lossPercent, sent_count: summary.transmitted, received_count: summary.received };
  if (summary.rttAvgMs !== undefined) {
    metrics.rtt_avg_ms = summary.rttAvgMs;
    metrics.rtt_min_ms = summary.rttMinMs!;
    metrics.rtt_max_ms = summary.rttMaxMs!;
  }
  const head = `${host}: ${summary.received}/${summary.transmitted} replies, ${summary.lossPercent} % loss${summary.rttAvgMs !== undefined ? `, rtt avg ${summary.rttAvgMs} ms` : ''}`;
  if (summary.received === 0) return { status: 'CRIT', message: `${head}: no reply`, ...withCode('ping.no_reply', { host, sent: summary.transmitted }), metrics };
  let lossLimitPercent: number | undefined;
  let rttLimitMs: number | undefined;
  const reasons: string[] = [];
  let status: Status = 'OK';
  const raise = (to: Status, why: string) => {
    if (to === 'CRIT' || status === 'OK') status = to;
    reasons.push(why);
  };
  const lossCrit = config.lossCritPercent ?? 60;
  const lossWarn = config.lossWarnPercent ?? 20;
  if (summary.lossPercent >= lossCrit) raise('CRIT', `loss ≥ ${(lossLimitPercent = lossCrit)} %`);
  else if (summary.lossPercent >= lossWarn) raise('WARN', `loss ≥ ${(lossLimitPercent = lossWarn)} %`);
  const rttCrit = config.rttCrit === undefined ? undefined : parseDuration(config.rttCrit);
  const rttWarn = config.rttWarn === undefined ? undefined : parseDuration(config.rttWarn);
  if (summary.rttAvgMs !== undefined) {
    if (rttCrit !== undefined && summary.rttAvgMs >= rttCrit) raise('CRIT', `rtt ≥ ${(rttLimitMs = rttCrit)} ms`);
    else if (rttWarn !== undefined && summary.rttAvgMs >= rttWarn) raise('WARN', `rtt ≥ ${(rttLimitMs = rttWarn)} ms`);
  }
  const params = { host, received: summary.received, sent: summary.transmitted, lossPercent: summary.lossPercent, rttAvgMs: summary.rttAvgMs, lossLimitPercent, rttLimitMs };
  return { status, message: reasons.length ? `${head} (${reasons.join(', ')})` : head, ...withCode('ping.result', params), metrics };
}

/** Runs ping; a missing or forbidden ping is UNKNOWN, never "host down". */
export async function checkPingOn(platform: NodeJS.Platform, config: PingCheckConfig, ctx: CheckContext): Promise<CheckOutcome> {
  const { file, args } = pingArgs(platform, config.host, config.count ?? 3, ctx.timeoutMs);
  const run = await ctx.exec(file, args, { timeoutMs: ctx.timeoutMs, signal: ctx.signal, maxOutputBytes: 256 * 1024 });
  if (run.failure === 'not-found' || run.failure === 'permission') {
    return { status: 'UNKNOWN', message: `${config.host}: ${run.failureMessage}`, ...withCode('check.error', { subject: config.host, error: run.failureMessage ?? run.failure }) };
  }
  if (run.failure === 'timeout') return { status: 'CRIT', message: `${config.host}: ping did not finish within ${ctx.timeoutMs} ms`, ...withCode('ping.timeout', { host: config.host, timeoutMs: ctx.timeoutMs }) };
  if (run.failure) return { status: 'UNKNOWN', message: `${config.host}: ${run.failureMessage}`, ...withCode('check.error', { subject: config.host, error: run.failureMessage ?? run.failure }) };
  return evaluatePing(config, parsePing(`${run.stdout}\n${run.stderr}`));
}

export const ping = {
  kind: 'ping',
  run: (config, ctx) => checkPingOn(process.platform, config, ctx),
} satisfies CheckDefinition<'ping'>;
