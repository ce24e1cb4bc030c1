/**
 * A configured program under the Nagios plugin convention, so the consultant's existing scripts and
 * monitoring-plugins work unchanged: exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN; the first output line is the
 * message, text after "|" is performance data (https://nagios-plugins.org/doc/guidelines.html#AEN200).
 */
import { withCode, type Status } from '@nines/shared';
import type { CheckDefinition, CheckOutcome } from './check.ts';

const MAX_COMMAND_OUTPUT = 256 * 1024; // plugins print a line or a screenful; more is a runaway
const NAGIOS_STATUS: Record<number, Status> = { 0: 'OK', 1: 'WARN', 2: 'CRIT', 3: 'UNKNOWN' };

export interface PerfDatum {
  label: string;
  value: number;
  uom: string;
  warn?: string;
  crit?: string;
  min?: number;
  max?: number;
}

export interface PluginOutput {
  /** The first line without its performance data. */
  summary: string;
  /** Further lines ("long text"), without performance data. */
  longText: string[];
  perfdata: PerfDatum[];
}

/** `'label'=value[UOM];[warn];[crit];[min];[max]` items, space separated; labels may be quoted with '…'. */
export function parsePerfdata(text: string): PerfDatum[] {
  const data: PerfDatum[] = [];
  const item = /\s*(?:'((?:[^']|'')+)'|([^\s=']+))=(\S*)/g;
  for (let m = item.exec(text); m; m = item.exec(text)) {
    const label = m[1] !== undefined ? m[1].replace(/''/g, "'") : m[2]!;
    const [rawValue = '', warn, crit, min, max] = m[3]!.split(';');
    const parsed = /^(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)([a-zA-Z%]*)$/.exec(rawValue);
    if (!parsed) continue; // "U" (undetermined) or garbage: no number to keep
    const datum: PerfDatum = { label, value: Number(parsed[1]), uom: parsed[2]! };
    if (warn) datum.warn = warn;
    if (crit) datum.crit = crit;
    if (min && Number.isFinite(Number(min))) datum.min = Number(min);
    if (max && Number.isFinite(Number(max))) datum.max = Number(max);
    data.push(datum);
  }
  return data;
}

/** Splits plugin output into summary, long text and perfdata (which may continue after a "|" in the long text). */
export function parsePluginOutput(stdout: string): PluginOutput {
  const lines = stdout.replace(/\r\n/g, '\n').replace(/\n+$/, '').split('\n');
  const [first = '', ...rest] = lines;
  const bar = first.indexOf('|');
  const summary = (bar >= 0 ? first.slice(0, bar) : first).trim();
  const perfTexts = bar >= 0 ? [first.slice(bar + 1)] : [];
  const longText: string[] = [];
  let inPerf = false;
  for (const line of rest) {
    if (inPerf) {
      perfTexts.push(line);
      continue;
    }
    const at = line.indexOf('|');
    if (at >= 0) {
      if (line.slice(0, at).trim()) longText.push(line.slice(0, at).trimEnd());
      perfTexts.push(line.slice(at + 1));
      inPerf = true;
    } else longText.push(line);
  }
  return { summary, longText, perfdata: perfTexts.flatMap(parsePerfdata) };
}

const UOM_SUFFIX: Record<string, string> = {
  s: 's', ms: 'ms', us: 'us', '%': 'percent', B: 'bytes', KB: 'kb', MB: 'mb', GB: 'gb', TB: 'tb',
  KiB: 'kib', MiB: 'mib', GiB: 'gib', TiB: 'tib', c: 'count',
};

/** A metric name the protocol accepts (^[a-z][a-z0-9_]{0,63}$), unit in the name: "/boot" in MB → "boot_mb". */
export function metricName(label: string, uom: string): string {
  let base = label.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  if (!base) base = /^\/+$/.test(label) ? 'root' : 'value';
  if (!/^[a-z]/.test(base)) base = `m_${base}`;
  const suffix = UOM_SUFFIX[uom] ?? (uom ? uom.toLowerCase().replace(/[^a-z0-9]/g, '') : '');
  const name = suffix && !base.endsWith(`_${suffix}`) ? `${base}_${suffix}` : base;
  return name.slice(0, 64);
}

export function evaluatePluginRun(exitCode: number, stdout: string, stderr: string): CheckOutcome {
  const output = parsePluginOutput(stdout);
  const metrics: Record<string, number> = {};
  for (const datum of output.perfdata) metrics[metricName(datum.label, datum.uom)] = datum.value;
  const status = NAGIOS_STATUS[exitCode];
  const said = output.summary || stderr.trim().split('\n')[0] || '(no output)';
  const details = { exitCode, longText: output.longText, perfdata: output.perfdata };
  if (status === undefined) {
    return { status: 'UNKNOWN', message: `exit code ${exitCode} is not a plugin status (0–3): ${said}`, ...withCode('command.bad_exit', { exitCode, output: said }), metrics, details };
  }
  // The plugin's own summary is its message in its own words: no code, every language shows it as written.
  return { status, message: said, metrics, details };
}

export const command = {
  kind: 'command',
  async run(config, ctx): Promise<CheckOutcome> {
    const [file, ...args] = config.command as [string, ...string[]];
    const options = { timeoutMs: ctx.timeoutMs, signal: ctx.signal, maxOutputBytes: MAX_COMMAND_OUTPUT, ...(config.env ? { env: config.env } : {}), ...(config.cwd ? { cwd: config.cwd } : {}) };
    const run = await ctx.exec(file, args, options);
    if (run.failure === 'timeout') return { status: 'UNKNOWN', message: `${file} did not finish within ${ctx.timeoutMs} ms (killed)`, ...withCode('command.timeout', { file, timeoutMs: ctx.timeoutMs }) };
    if (run.failure) return { status: 'UNKNOWN', message: run.failureMessage ?? `${file} failed to run`, ...withCode('command.failed', { file, error: run.failureMessage ?? run.failure }) };
    return evaluatePluginRun(run.code!, run.stdout, run.stderr);
  },
} satisfies CheckDefinition<'command'>;
