/** Windows services: `sc query <name>`; its field names and state numbers are the same in every UI language. */
import { withCode, type ServiceCheckConfig } from '@nines/shared';
import type { CheckContext, CheckOutcome } from './check.ts';

const SC_ERROR_SERVICE_DOES_NOT_EXIST = 1060;

/** SERVICE_STATUS dwCurrentState values (winsvc.h). */
export const WINDOWS_SERVICE_STATES: Record<number, string> = {
  1: 'STOPPED',
  2: 'START_PENDING',
  3: 'STOP_PENDING',
  4: 'RUNNING',
  5: 'CONTINUE_PENDING',
  6: 'PAUSE_PENDING',
  7: 'PAUSED',
};

export interface ScQueryStatus {
  name: string;
  state: number;
  stateName: string;
  win32ExitCode: number | null;
}

/** Reads one service's block of `sc query` output; null when there is none (an error text instead). */
export function parseScQuery(text: string): ScQueryStatus | null {
  const name = /^\s*SERVICE_NAME:\s*(\S+)/m.exec(text)?.[1];
  const state = /^\s*STATE\s*:\s*(\d+)\s+(\S+)/m.exec(text);
  if (!name || !state) return null;
  const exit = /^\s*WIN32_EXIT_CODE\s*:\s*(\d+)/m.exec(text);
  const code = Number(state[1]);
  return { name, state: code, stateName: WINDOWS_SERVICE_STATES[code] ?? state[2]!, win32ExitCode: exit ? Number(exit[1]) : null };
}

export function evaluateScQuery(status: ScQueryStatus): CheckOutcome {
  const details = status;
  const exit = status.win32ExitCode ? `, exit code ${status.win32ExitCode}` : '';
  const params = { service: status.name, state: status.stateName, sub: '' };
  if (status.state === 4) return { status: 'OK', message: `${status.name} is RUNNING`, ...withCode('service.state', { ...params, level: 'ok' }), details };
  if (status.state === 2 || status.state === 5) return { status: 'WARN', message: `${status.name} is ${status.stateName}`, ...withCode('service.state', { ...params, level: 'changing' }), details };
  const exitStatus = status.win32ExitCode ? String(status.win32ExitCode) : undefined;
  return { status: 'CRIT', message: `${status.name} is ${status.stateName}${exit}`, ...withCode('service.state', { ...params, level: 'down', exitStatus }), details };
}

export async function checkWindowsService(config: ServiceCheckConfig, ctx: CheckContext): Promise<CheckOutcome> {
  const run = await ctx.exec('sc.exe', ['query', config.service], { timeoutMs: ctx.timeoutMs, signal: ctx.signal, maxOutputBytes: 64 * 1024 });
  if (run.failure) return { status: 'UNKNOWN', message: `${config.service}: ${run.failureMessage}`, ...withCode('service.query_failed', { service: config.service, error: run.failureMessage ?? run.failure }) };
  if (run.code === SC_ERROR_SERVICE_DOES_NOT_EXIST) {
    return { status: 'CRIT', message: `${config.service}: no such service (sc error 1060)`, ...withCode('service.not_found', { service: config.service }) };
  }
  const status = parseScQuery(run.stdout);
  if (!status) {
    const said = run.stdout.trim().split(/\r?\n/).filter(Boolean).join(' ').slice(0, 200);
    return { status: 'UNKNOWN', message: `${config.service}: sc query exited with ${run.code} and no status: ${said}`, ...withCode('service.query_failed', { service: config.service, error: `sc query exited with ${run.code}: ${said}` }) };
  }
  return evaluateScQuery(status);
}
