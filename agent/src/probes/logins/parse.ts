/**
 * Login events from sshd's log lines, journald's JSON, a syslog auth log and the Windows Security log.
 * Pure. Only user, source and time are kept: a failed login's user name can be a password typed into
 * the wrong field, so it never leaves this module for a failure (the message names counts and sources).
 */
import type { EpochMs } from '@nines/shared';
import { asList, powershellDate } from '../powershell.ts';

export class LoginsProbeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LoginsProbeError';
  }
}

export type LoginEvent = { at: EpochMs; outcome: 'failed'; source: string } | { at: EpochMs; outcome: 'accepted'; source: string; user: string };

// OpenSSH's own wording (log.c, auth.c: "Failed %s for %s%.100s from %.200s port %d"); the C locale is not needed, sshd never translates it.
const FAILED = /^Failed (?:password|publickey|keyboard-interactive\/pam|none|hostbased|gssapi-with-mic) for (?:invalid user )?.*? from (\S+) port \d+/;
const ACCEPTED = /^Accepted (?:password|publickey|keyboard-interactive\/pam|hostbased|gssapi-with-mic) for (\S+) from (\S+) port \d+/;

/** One sshd message → an event, or undefined for the many other lines sshd writes. */
export function parseSshdMessage(message: string, at: EpochMs): LoginEvent | undefined {
  const failed = FAILED.exec(message);
  if (failed) return { at, outcome: 'failed', source: failed[1]! };
  const accepted = ACCEPTED.exec(message);
  if (accepted) return { at, outcome: 'accepted', user: accepted[1]!, source: accepted[2]! };
  return undefined;
}

/** `journalctl -o json` lines: one object per line, __REALTIME_TIMESTAMP in microseconds. */
export function parseJournalJson(stdout: string): LoginEvent[] {
  const events: LoginEvent[] = [];
  for (const line of stdout.split('\n')) {
    if (!line.trim()) continue;
    let entry: { MESSAGE?: unknown; __REALTIME_TIMESTAMP?: unknown };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      throw new LoginsProbeError(`journalctl printed a line that is not JSON: "${line.slice(0, 120)}"`);
    }
    // journald writes a MESSAGE that is not valid UTF-8 as an array of bytes
    const message = typeof entry.MESSAGE === 'string' ? entry.MESSAGE : Array.isArray(entry.MESSAGE) ? Buffer.from(entry.MESSAGE as number[]).toString('latin1') : '';
    const at = Math.floor(Number(entry.__REALTIME_TIMESTAMP) / 1000);
    if (!Number.isFinite(at)) continue;
    const event = parseSshdMessage(message, at);
    if (event) events.push(event);
  }
  return events;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
// rsyslog's RFC 3339 format (Debian 12's default) and the classic "Dec  2 19:20:01" without year or zone.
const RFC3339_LINE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})) \S+ sshd(?:-session)?\[\d+\]: (.*)$/;
const CLASSIC_LINE = /^([A-Z][a-z]{2}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) \S+ sshd(?:-session)?\[\d+\]: (.*)$/;

/**
 * Lines of /var/log/auth.log or /var/log/secure. A classic time has no year or zone: it is read in the
 * machine's zone (offsetMinutes, east positive), in the year that puts it not after now.
 */
export function parseAuthLog(text: string, now: EpochMs, offsetMinutes: number): LoginEvent[] {
  const events: LoginEvent[] = [];
  const year = new Date(now + offsetMinutes * 60_000).getUTCFullYear();
  for (const line of text.split('\n')) {
    const rfc = RFC3339_LINE.exec(line);
    if (rfc) {
      const at = Date.parse(rfc[1]!);
      if (Number.isFinite(at)) pushRepeated(events, rfc[2]!, at);
      continue;
    }
    const classic = CLASSIC_LINE.exec(line);
    if (!classic) continue;
    const month = MONTHS.indexOf(classic[1]!);
    const local = (y: number) => Date.UTC(y, month, Number(classic[2]), Number(classic[3]), Number(classic[4]), Number(classic[5])) - offsetMinutes * 60_000;
    let at = local(year);
    if (at > now + 86_400_000) at = local(year - 1); // a December line read in January
    pushRepeated(events, classic[6]!, at);
  }
  return events;
}

// rsyslog folds identical lines into "message repeated 5 times: [ Failed password for root from … ssh2]"
// ($RepeatedMsgReduction, on in Debian's and Ubuntu's rsyslog.conf): that line stands for 5 more of the message.
const REPEATED = /^message repeated (\d+) times: \[ ?(.*?)\]$/;
const MAX_REPEAT = 10_000; // rsyslog flushes the count within seconds; a larger number is a damaged line, not more attempts

function pushRepeated(events: LoginEvent[], message: string, at: EpochMs): void {
  const repeated = REPEATED.exec(message);
  const event = parseSshdMessage(repeated ? repeated[2]! : message, at);
  if (!event) return;
  const times = repeated ? Math.min(Number(repeated[1]), MAX_REPEAT) : 1;
  for (let i = 0; i < times; i++) events.push({ ...event });
}

/**
 * The Windows script's JSON: [{Id, Time (ISO UTC), User, Source, LogonType}]. 4625 failed, 4624 succeeded;
 * successes count only for network (3) and remote desktop (10) logons from an address, not services or the console.
 */
export function parseWindowsLogons(value: unknown): LoginEvent[] {
  const events: LoginEvent[] = [];
  for (const raw of asList(value)) {
    const e = raw as { Id?: unknown; Time?: unknown; User?: unknown; Source?: unknown; LogonType?: unknown };
    const at = powershellDate(e.Time) ?? NaN; // ISO from our script; "/Date(ms)/" if ConvertTo-Json got the DateTime itself
    if (!Number.isFinite(at)) throw new LoginsProbeError(`Windows event without a readable time: ${JSON.stringify(raw).slice(0, 120)}`);
    // No address ("-") or a loopback one is this machine: a failed console logon carries 127.0.0.1 (winlogon)
    const source = typeof e.Source === 'string' && e.Source !== '-' && e.Source !== '' && !isLoopback(e.Source) ? e.Source : 'local';
    if (e.Id === 4625) events.push({ at, outcome: 'failed', source });
    else if (e.Id === 4624 && (e.LogonType === '3' || e.LogonType === '10') && source !== 'local') {
      events.push({ at, outcome: 'accepted', source, user: typeof e.User === 'string' ? e.User : '?' });
    }
  }
  return events;
}

export function isLoopback(source: string): boolean {
  return source === '::1' || source.startsWith('127.') || source === '::ffff:127.0.0.1';
}
