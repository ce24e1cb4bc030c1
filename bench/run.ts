/**
 * `npm run bench [-- <scenario>…]`: runs each scenario (bench/<name>.ts) in its own process with a kill timeout,
 * prints one JSON line per scenario, then a readable table with the method.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { method } from './lib/method.ts';
import type { ScenarioResult } from './lib/scenario.ts';

const here = dirname(fileURLToPath(import.meta.url));
const SCENARIO_BUDGET_MS = 60_000; // each scenario bounds itself to this
const KILL_MARGIN_MS = 20_000; // start-up (tsx), enrollment and clean-up on a busy 2-core machine
/** Scenarios that need longer than SCENARIO_BUDGET_MS: steady measures several 20 s intervals after a warm-up. */
const SCENARIO_BUDGETS_MS: Record<string, number> = {
  steady: 60_000 + 1000 * (Number(process.env.NINES_BENCH_STEADY_WARMUP_S ?? 60) + Number(process.env.NINES_BENCH_STEADY_WINDOW_S ?? 120)),
};

export function discoverScenarios(dir = here): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.endsWith('.d.ts'))
    .map((f) => f.slice(0, -3))
    .sort();
}

/** Runs one scenario file in a child process; whatever happens, returns one honest line. */
export function runScenario(name: string, timeoutMs = (SCENARIO_BUDGETS_MS[name] ?? SCENARIO_BUDGET_MS) + KILL_MARGIN_MS): Promise<ScenarioResult> {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, ['--import=tsx', join(here, `${name}.ts`)], { stdio: ['ignore', 'pipe', 'inherit'], detached: true });
    let stdout = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    // Kill the whole process group: a scenario's load generators and collectors go with it.
    const kill = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
    };
    const timer = setTimeout(() => ((timedOut = true), kill()), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      kill(); // a load process the scenario forgot must not outlive it
      const line = lastResultLine(stdout);
      const seconds = Math.round((Date.now() - started) / 100) / 10;
      if (line && !timedOut) return resolve({ ...line, wallSeconds: seconds });
      const why = timedOut ? `killed after ${timeoutMs / 1000} s without a result` : `exited with code ${code} signal ${signal} without a result line`;
      resolve({ scenario: name, unit: '', ours: null, ceiling: null, ratio: null, error: why, wallSeconds: seconds, method: method() });
    });
  });
}

function lastResultLine(stdout: string): ScenarioResult | null {
  for (const text of stdout.trim().split('\n').reverse()) {
    try {
      const value = JSON.parse(text) as ScenarioResult;
      if (value && typeof value.scenario === 'string') return value;
    } catch {
      /* not the result line */
    }
  }
  return null;
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '–';
  if (typeof value === 'number') return value >= 1000 ? Math.round(value).toLocaleString('en-US') : String(value);
  return String(value);
}

export function table(results: ScenarioResult[]): string {
  const rows = [['scenario', 'unit', 'ours', 'ceiling', 'ratio', 'target', 'met']];
  for (const r of results) {
    rows.push([r.scenario, r.unit, cell(r.ours), cell(r.ceiling), cell(r.ratio), r.error ? `ERROR: ${r.error.split('\n')[0]}` : cell(r.target), r.error ? 'no' : r.met === undefined ? '–' : r.met ? 'yes' : 'no']);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row, n) => row.map((c, i) => c.padEnd(widths[i]!)).join('  ') + (n === 0 ? '\n' + widths.map((w) => '-'.repeat(w)).join('  ') : '')).join('\n');
}

async function main(argv: string[]): Promise<number> {
  const known = discoverScenarios();
  const unknown = argv.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    process.stderr.write(`unknown scenario ${unknown.join(', ')}; known: ${known.join(', ')}\n`);
    return 2;
  }
  const names = argv.length > 0 ? argv : known;
  const results: ScenarioResult[] = [];
  for (const name of names) {
    process.stderr.write(`bench: ${name} …\n`);
    const result = await runScenario(name);
    results.push(result);
    process.stdout.write(JSON.stringify(result) + '\n');
  }
  const m = method();
  process.stdout.write(`\n${table(results)}\n\nmethod: Node ${m.node}, ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, ${m.platform}, ${m.date}; ` +
    `each scenario in its own process, ours and ceiling from the same run; ratio = ours / ceiling.\n`);
  return results.some((r) => r.error) ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await main(process.argv.slice(2));
}
