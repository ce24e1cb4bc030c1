import type { ExecResult } from '../../../exec.ts';
import { BackupProbeError } from '../probe.ts';
import type { WallClock } from '../localtime.ts';

export interface VeeamSession {
  job: string;
  type: string;
  id: string;
  /** Success, Warning, Failed, Running, … as Veeam prints it. */
  state: string;
  startedAt: WallClock;
  finishedAt?: WallClock;
}

// Job names may contain spaces; the session id in braces anchors the columns around it.
const ROW = /^(.+?)\s+(\S+)\s+(\{[0-9A-Fa-f-]{36}\})\s+(\S+)\s+(\d{4}-\d{2}-\d{2} \d{2}:\d{2}(?::\d{2})?)(?:\s+(\d{4}-\d{2}-\d{2} \d{2}:\d{2}(?::\d{2})?))?\s*$/;

export function parseWallClock(text: string): WallClock {
  const [date, time] = text.split(' ') as [string, string];
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const [hour, minute, second = 0] = time.split(':').map(Number) as [number, number, number?];
  return { year, month, day, hour, minute, second };
}

/** The session table, in Veeam's order; the header and the "Total amount" line are skipped. */
export function parseSessionList(result: ExecResult): VeeamSession[] {
  if (result.code === null) throw new BackupProbeError(result.failureMessage ?? 'veeamconfig did not run');
  if (result.code !== 0) {
    const said = (result.stderr.trim() || result.stdout.trim()).replace(/\s+/g, ' ').slice(0, 300);
    throw new BackupProbeError(`veeamconfig session list failed with exit code ${result.code}: ${said}`);
  }
  const lines = result.stdout.split('\n').map((l) => l.trimEnd()).filter(Boolean);
  if (!lines.some((l) => /^Job name\s+Type\s+ID\s+State/.test(l))) {
    throw new BackupProbeError(`veeamconfig printed no session table: "${result.stdout.slice(0, 200).replace(/\s+/g, ' ')}"`);
  }
  const sessions: VeeamSession[] = [];
  for (const line of lines) {
    const m = ROW.exec(line);
    if (!m) continue;
    const session: VeeamSession = { job: m[1]!.trim(), type: m[2]!, id: m[3]!, state: m[4]!, startedAt: parseWallClock(m[5]!) };
    if (m[6]) session.finishedAt = parseWallClock(m[6]);
    sessions.push(session);
  }
  return sessions;
}
