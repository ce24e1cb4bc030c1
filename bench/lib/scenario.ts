/** What every scenario returns and prints: ours and a ceiling measured in the same run, and their ratio. */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { method } from './method.ts';

export interface ScenarioResult {
  scenario: string;
  unit: string;
  ours: number | null;
  ceiling: number | null;
  /** ours / ceiling, always in this direction; `better` says which way is good. */
  ratio: number | null;
  better?: 'higher' | 'lower';
  target?: string;
  met?: boolean;
  error?: string;
  method?: Record<string, unknown>;
  [extra: string]: unknown;
}

export function ratioOf(ours: number | null, ceiling: number | null): number | null {
  if (ours === null || ceiling === null || ceiling === 0) return null;
  const ratio = ours / ceiling;
  return ratio >= 1 ? round(ratio, 3) : Number(ratio.toPrecision(3)); // 3 significant digits, so 0.0000095 stays visible
}

export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** True when the module at `url` is the script node was started with. */
export function isMain(url: string): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(url));
  } catch {
    return false;
  }
}

/** Runs a scenario as a program: one JSON line on stdout, an honest error line when it fails. */
export async function runAsMain(name: string, run: () => Promise<ScenarioResult>): Promise<void> {
  let line: ScenarioResult;
  try {
    line = await run();
  } catch (error) {
    line = { scenario: name, unit: '', ours: null, ceiling: null, ratio: null, error: (error as Error).stack ?? String(error), method: method() };
    process.exitCode = 1;
  }
  process.stdout.write(JSON.stringify(line) + '\n');
  // Handles left by a failed run (sockets, timers) must not keep the process past its result.
  setTimeout(() => process.exit(), 200).unref();
}

/** Progress for people watching; stdout is reserved for the result line. */
export function progress(scenario: string, text: string): void {
  process.stderr.write(`[${scenario} +${(performance.now() / 1000).toFixed(1)} s] ${text}\n`);
}

/** A positive number from the environment (a scenario's knob), or the fallback; anything else is an error, not a default. */
export function envNumber(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} wants a positive number, not "${process.env[name]}"`);
  return value;
}
