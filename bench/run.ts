/**
 * `npm run bench [-- <scenario>…] [--against <git-ref> [--rounds N]]`: runs each scenario (bench/<name>.ts) in
 * its own process with a kill timeout, prints one JSON line per scenario, then a readable table with the method.
 * With --against, each scenario also runs on that earlier revision (a temporary worktree), alternating
 * baseline and current N times (default 2), and a second table compares the medians.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { method } from './lib/method.ts';
import { checkoutBaseline, type Baseline } from './lib/baseline.ts';
import type { ScenarioResult } from './lib/scenario.ts';

const here = dirname(fileURLToPath(import.meta.url));
const SCENARIO_BUDGET_MS = 60_000; // each scenario bounds itself to this
const KILL_MARGIN_MS = 20_000; // start-up (tsx), enrollment and clean-up on a busy 2-core machine
/** Scenarios that need longer than SCENARIO_BUDGET_MS: steady measures several 20 s intervals after a warm-up. */
const SCENARIO_BUDGETS_MS: Record<string, number> = {
  steady: 60_000 + 1000 * (Number(process.env.NINES_BENCH_STEADY_WARMUP_S ?? 60) + Number(process.env.NINES_BENCH_STEADY_WINDOW_S ?? 120)),
  // 2.5 M raw results written and rolled up, and the whole-day recomputation it replaced (~20 s once late in the day)
  'rollup-flush': 150_000,
  // two days of history written for 21,000 checks, the collector started twice, two fed phases
  tenants: 240_000,
  // a cross build of the linux-x64 executable, then a warm-up and a window of 60 s each (50 checks at 60 s)
  'agent-exe': 60_000 + 1000 * (Number(process.env.NINES_BENCH_EXE_WARMUP_S ?? 60) + Number(process.env.NINES_BENCH_EXE_WINDOW_S ?? 60)),
  // a dashboard build, 69 agents primed, two pages × (3 s idle + 10 s fed) with a Chromium trace parsed after each
  frames: 90_000,
  // 1,000 and 10,000 agents enrolled, connected and ingested, on SQLite and on PostgreSQL
  stores: 900_000,
  // 1,000 agents enrolled and ingested twice: through one collector process, then two on one PostgreSQL database
  collectors: 300_000,
};

export function discoverScenarios(dir = here): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.endsWith('.d.ts'))
    .map((f) => f.slice(0, -3))
    .sort();
}

/**
 * Scenarios whose collector is the production bundle by default (bench/lib/collector-process.ts). An older revision
 * run `--against` may default to tsx: it is told NINES_BENCH_COLLECTOR=bundle (revisions since 2026-12-04 honour it;
 * their result line's method says which collector ran), so both sides measure the same build.
 */
export const BUNDLED_COLLECTOR_SCENARIOS = new Set(['steady']);

/** The environment a scenario runs in: an older revision of a bundled-collector scenario is told to run the bundle too. */
export function scenarioEnv(name: string, current: boolean, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (current || !BUNDLED_COLLECTOR_SCENARIOS.has(name) || env.NINES_BENCH_COLLECTOR) return env;
  return { ...env, NINES_BENCH_COLLECTOR: 'bundle' };
}

/** Runs one scenario file in a child process; whatever happens, returns one honest line. */
export function runScenario(
  name: string, timeoutMs = (SCENARIO_BUDGETS_MS[name] ?? SCENARIO_BUDGET_MS) + KILL_MARGIN_MS, benchDir = here, env: NodeJS.ProcessEnv = process.env,
): Promise<ScenarioResult> {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, ['--import=tsx', join(benchDir, `${name}.ts`)], {
      stdio: ['ignore', 'pipe', 'inherit'], detached: true, cwd: dirname(benchDir), env,
    });
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

export interface BenchArgs {
  names: string[];
  against: string | null;
  rounds: number;
}

/** Scenario names and options; a usage problem is thrown as a message for stderr. */
export function parseArgs(argv: string[], known: string[]): BenchArgs {
  const names: string[] = [];
  let against: string | null = null;
  let rounds: number | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--against' || arg === '--rounds') {
      const value = argv[++i];
      if (value === undefined || value.startsWith('--')) throw new Error(`${arg} needs a value`);
      if (arg === '--against') against = value;
      else if (!/^[1-9]\d*$/.test(value) || Number(value) > 9) throw new Error(`--rounds must be a whole number from 1 to 9, not ${value}`);
      else rounds = Number(value);
    } else if (arg.startsWith('--')) {
      throw new Error(`unknown option ${arg}; options: --against <git-ref>, --rounds N`);
    } else names.push(arg);
  }
  const unknown = names.filter((name) => !known.includes(name));
  if (unknown.length > 0) throw new Error(`unknown scenario ${unknown.join(', ')}; known: ${known.join(', ')}`);
  if (rounds !== null && against === null) throw new Error('--rounds only goes with --against');
  return { names: names.length > 0 ? names : known, against, rounds: rounds ?? (against === null ? 1 : 2) };
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Baseline against current per scenario: medians of `ours`, and the change in the scenario's good direction. */
export function comparison(results: ScenarioResult[], baseLabel: string): string {
  const rows = [['scenario', 'unit', `${baseLabel} (median)`, 'current (median)', 'change', 'verdict']];
  for (const name of [...new Set(results.map((r) => r.scenario))]) {
    const of = (revision: string) => results.filter((r) => r.scenario === name && r.revision === revision && !r.error && typeof r.ours === 'number').map((r) => r.ours as number);
    const base = median(of(baseLabel));
    const current = median(of('current'));
    const sample = results.find((r) => r.scenario === name && !r.error);
    const better = sample?.better ?? 'higher';
    let change = '–';
    let verdict = 'no figure';
    if (base !== null && current !== null && base !== 0) {
      const gain = better === 'higher' ? current / base - 1 : base / current - 1; // > 0 is better
      change = `${gain >= 0 ? '+' : ''}${(gain * 100).toFixed(1)} %`;
      verdict = gain >= -0.05 ? 'no slower' : 'slower';
    }
    rows.push([name, sample?.unit ?? '', cell(base), cell(current), change, verdict]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row, n) => row.map((c, i) => c.padEnd(widths[i]!)).join('  ') + (n === 0 ? '\n' + widths.map((w) => '-'.repeat(w)).join('  ') : '')).join('\n');
}

async function main(argv: string[]): Promise<number> {
  let args: BenchArgs;
  try {
    args = parseArgs(argv, discoverScenarios());
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 2;
  }
  let baseline: Baseline | null = null;
  if (args.against !== null) {
    try {
      baseline = checkoutBaseline(dirname(here), args.against);
    } catch (error) {
      process.stderr.write(`${(error as Error).message}\n`);
      return 2;
    }
  }
  const results: ScenarioResult[] = [];
  try {
    for (const name of args.names) {
      for (let round = 1; round <= args.rounds; round++) {
        // Baseline first in odd rounds, current first in even ones: neither always gets the cooler machine.
        const order = baseline === null ? ['current'] : round % 2 ? [args.against!, 'current'] : ['current', args.against!];
        for (const revision of order) {
          process.stderr.write(`bench: ${name}${baseline ? ` on ${revision} (round ${round}/${args.rounds})` : ''} …\n`);
          const dir = revision === 'current' ? here : join(baseline!.root, 'bench');
          const result = await runScenario(name, undefined, dir, scenarioEnv(name, revision === 'current', process.env));
          const line = baseline ? { ...result, revision, commit: revision === 'current' ? 'working tree' : baseline.commit } : result;
          results.push(line);
          process.stdout.write(JSON.stringify(line) + '\n');
        }
      }
    }
  } finally {
    baseline?.remove();
  }
  const m = method();
  const current = baseline ? results.filter((r) => r.revision === 'current') : results;
  process.stdout.write(`\n${table(current)}\n`);
  if (baseline) process.stdout.write(`\n${comparison(results, args.against!)}\n(${args.against} = ${baseline.commit.slice(0, 12)}; ${args.rounds} alternating rounds; "no slower" = within 5 % or better)\n`);
  process.stdout.write(`\nmethod: Node ${m.node}, ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, ${m.platform}, ${m.date}; ` +
    `each scenario in its own process, ours and ceiling from the same run; ratio = ours / ceiling.\n`);
  return results.some((r) => r.error) ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await main(process.argv.slice(2));
}
