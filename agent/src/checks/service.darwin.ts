/** launchd jobs on macOS: `launchctl list <label>` prints the job as an old-style plist dictionary. */
import { withCode, type ServiceCheckConfig } from '@nines/shared';
import type { CheckContext, CheckOutcome } from './check.ts';

const LAUNCHCTL_NO_SUCH_SERVICE = 113; // "Could not find service … in domain for port"

export interface LaunchdJob {
  label: string;
  pid: number | null;
  lastExitStatus: number | null;
}

/** Reads the top-level `"Key" = value;` lines; null when the text is no job dictionary. */
export function parseLaunchctlList(text: string): LaunchdJob | null {
  const value = (key: string) => new RegExp(`^\\s*"${key}"\\s*=\\s*"?([^";]*)"?;`, 'm').exec(text)?.[1];
  const label = value('Label');
  if (label === undefined) return null;
  const pid = value('PID');
  const exit = value('LastExitStatus');
  return { label, pid: pid === undefined ? null : Number(pid), lastExitStatus: exit === undefined ? null : Number(exit) };
}

export function evaluateLaunchdJob(job: LaunchdJob): CheckOutcome {
  const details = job;
  if (job.pid !== null) return { status: 'OK', message: `${job.label} is running (PID ${job.pid})`, ...withCode('service.state', { service: job.label, state: 'running', sub: `PID ${job.pid}`, level: 'ok' }), details };
  // launchd stores a job killed by a signal as the negative signal number
  const exit = job.lastExitStatus === null ? '' : job.lastExitStatus < 0 ? `, last killed by signal ${-job.lastExitStatus}` : `, last exit status ${job.lastExitStatus}`;
  const exitStatus = job.lastExitStatus === null ? undefined : String(job.lastExitStatus);
  return { status: 'CRIT', message: `${job.label} is loaded but not running${exit}`, ...withCode('service.state', { service: job.label, state: 'loaded', sub: '', level: 'down', exitStatus }), details };
}

export async function checkLaunchdJob(config: ServiceCheckConfig, ctx: CheckContext): Promise<CheckOutcome> {
  const run = await ctx.exec('launchctl', ['list', config.service], { timeoutMs: ctx.timeoutMs, signal: ctx.signal, maxOutputBytes: 64 * 1024 });
  if (run.failure) return { status: 'UNKNOWN', message: `${config.service}: ${run.failureMessage}`, ...withCode('service.query_failed', { service: config.service, error: run.failureMessage ?? run.failure }) };
  if (run.code === LAUNCHCTL_NO_SUCH_SERVICE) return { status: 'CRIT', message: `${config.service}: no such launchd job (not loaded)`, ...withCode('service.not_found', { service: config.service }) };
  const job = parseLaunchctlList(run.stdout);
  if (!job) {
    const said = (run.stderr || run.stdout).trim().split('\n')[0] ?? '';
    return { status: 'UNKNOWN', message: `${config.service}: launchctl list exited with ${run.code} and no job: ${said}`, ...withCode('service.query_failed', { service: config.service, error: `launchctl list exited with ${run.code}: ${said}` }) };
  }
  return evaluateLaunchdJob(job);
}
