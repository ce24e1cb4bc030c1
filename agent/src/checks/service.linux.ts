/** systemd units on Linux: `systemctl show` (stable Key=Value output, unlike `systemctl status`). */
import { withCode, type ServiceCheckConfig } from '@nines/shared';
import type { CheckContext, CheckOutcome } from './check.ts';

export const SYSTEMD_PROPERTIES = ['Id', 'Description', 'LoadState', 'ActiveState', 'SubState', 'UnitFileState', 'Result', 'ExecMainStatus', 'NRestarts'];

export function systemctlShowArgs(unit: string): string[] {
  // `--` so a unit name can never be read as an option
  return ['show', '--no-pager', `--property=${SYSTEMD_PROPERTIES.join(',')}`, '--', unit];
}

/** `Key=Value` lines → a map; values may contain "=" themselves. */
export function parseSystemctlShow(text: string): Record<string, string> {
  const properties: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) properties[line.slice(0, eq)] = line.slice(eq + 1).trimEnd();
  }
  return properties;
}

export function evaluateSystemdUnit(unit: string, properties: Record<string, string>): CheckOutcome {
  const { LoadState: load, ActiveState: active, SubState: sub } = properties;
  if (!load || !active) {
    return { status: 'UNKNOWN', message: `${unit}: systemctl show gave no LoadState/ActiveState`, ...withCode('service.query_failed', { service: unit, error: 'systemctl show gave no LoadState/ActiveState' }) };
  }
  const id = properties.Id || unit;
  const details = properties;
  const restarts = Number(properties.NRestarts);
  const metrics = Number.isFinite(restarts) && properties.NRestarts !== undefined && properties.NRestarts !== '' ? { restarts_count: restarts } : undefined;
  if (load === 'not-found') return { status: 'CRIT', message: `${id}: no such unit (LoadState=not-found)`, ...withCode('service.not_found', { service: id }), details };
  if (load === 'masked') return { status: 'CRIT', message: `${id} is masked and cannot run`, ...withCode('service.masked', { service: id }), details };
  const result = properties.Result && properties.Result !== 'success' ? properties.Result : undefined;
  const exitStatus = properties.ExecMainStatus && properties.ExecMainStatus !== '0' ? properties.ExecMainStatus : undefined;
  const params = { service: id, state: active, sub: sub ?? '?' };
  const state = `${active} (${sub ?? '?'})`;
  const why = properties.Result && properties.Result !== 'success' ? `, result ${properties.Result}` : '';
  const exit = properties.ExecMainStatus && properties.ExecMainStatus !== '0' ? `, last exit status ${properties.ExecMainStatus}` : '';
  switch (active) {
    case 'active':
    case 'reloading':
      return { status: 'OK', message: `${id} is ${state}`, ...withCode('service.state', { ...params, level: 'ok' }), metrics, details };
    case 'activating':
    case 'deactivating':
      return { status: 'WARN', message: `${id} is ${state}${why}`, ...withCode('service.state', { ...params, level: 'changing', result }), metrics, details };
    default: // inactive, failed, maintenance
      return { status: 'CRIT', message: `${id} is ${state}${why}${exit}`, ...withCode('service.state', { ...params, level: 'down', result, exitStatus }), metrics, details };
  }
}

export async function checkSystemdUnit(config: ServiceCheckConfig, ctx: CheckContext): Promise<CheckOutcome> {
  const run = await ctx.exec('systemctl', systemctlShowArgs(config.service), { timeoutMs: ctx.timeoutMs, signal: ctx.signal, maxOutputBytes: 64 * 1024 });
  if (run.failure) return { status: 'UNKNOWN', message: `${config.service}: ${run.failureMessage}`, ...withCode('service.query_failed', { service: config.service, error: run.failureMessage ?? run.failure }) };
  if (run.code !== 0) {
    const said = (run.stderr || run.stdout).trim().split('\n')[0] ?? '';
    // e.g. "System has not been booted with systemd as init system (PID 1). Can't operate." in containers
    return { status: 'UNKNOWN', message: `${config.service}: systemctl show exited with ${run.code}: ${said}`, ...withCode('service.query_failed', { service: config.service, error: `systemctl show exited with ${run.code}: ${said}` }) };
  }
  return evaluateSystemdUnit(config.service, parseSystemctlShow(run.stdout));
}
