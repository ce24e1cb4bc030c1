/**
 * Summarises a V8 `.cpuprofile` (node --cpu-prof): self and inclusive time per function, so a profile of a bench
 * run can be read without DevTools. Inclusive time counts a function once per sample even when it recurses.
 *
 *   node --import=tsx bench/lib/profile-summary.ts <file.cpuprofile> [top=30] [filter] [fromS] [toS]
 *
 * `filter` keeps only functions whose "name file:line" contains it (e.g. `collector/src`; '' for all); fromS/toS keep
 * only the samples taken that many seconds after the profile started (a bench's measured window, not start-up).
 */
import { readFileSync } from 'node:fs';
import { isMain } from './scenario.ts';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Seconds after the profile's start; samples outside [from, to) are left out. */
export interface SampleWindow {
  fromS: number;
  toS: number;
}

export interface FunctionCost {
  name: string;
  selfMs: number;
  totalMs: number;
}

/** Self and inclusive milliseconds per function (name + file + line), heaviest inclusive first. */
export function summarise(profile: Profile, window: SampleWindow = { fromS: 0, toS: Infinity }): { totalMs: number; functions: FunctionCost[] } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = (n: ProfileNode) => {
    const file = n.callFrame.url.replace(/^file:\/\//, '').replace(/.*\/(collector|shared|agent|node_modules)\//, '$1/');
    return `${n.callFrame.functionName || '(anonymous)'} ${file}:${n.callFrame.lineNumber + 1}`;
  };
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let totalMs = 0;
  let elapsedUs = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    elapsedUs += profile.timeDeltas[i] ?? 0;
    if (elapsedUs < window.fromS * 1e6 || elapsedUs >= window.toS * 1e6) return;
    totalMs += ms;
    const leaf = byId.get(id);
    if (!leaf) return;
    self.set(label(leaf), (self.get(label(leaf)) ?? 0) + ms);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const name = label(byId.get(at)!);
      if (seen.has(name)) continue;
      seen.add(name);
      total.set(name, (total.get(name) ?? 0) + ms);
    }
  });
  const functions = [...total.entries()].map(([name, t]) => ({ name, selfMs: self.get(name) ?? 0, totalMs: t })).sort((a, b) => b.totalMs - a.totalMs);
  return { totalMs, functions };
}

if (isMain(import.meta.url)) {
  const [file, topArg, filter, fromArg, toArg] = process.argv.slice(2);
  if (!file) throw new Error('usage: profile-summary.ts <file.cpuprofile> [top=30] [filter] [fromS] [toS]');
  const top = Number(topArg ?? 30);
  const window = { fromS: Number(fromArg ?? 0), toS: toArg === undefined ? Infinity : Number(toArg) };
  const { totalMs, functions } = summarise(JSON.parse(readFileSync(file, 'utf8')) as Profile, window);
  const idle = functions.find((f) => f.name.startsWith('(idle)'))?.totalMs ?? 0;
  console.log(`sampled ${totalMs.toFixed(0)} ms, idle ${idle.toFixed(0)} ms, busy ${(totalMs - idle).toFixed(0)} ms`);
  const pct = (ms: number) => `${((ms / Math.max(1, totalMs - idle)) * 100).toFixed(1)} %`;
  console.log('--- inclusive');
  for (const f of functions.filter((f) => !filter || f.name.includes(filter)).slice(0, top)) console.log(`${f.totalMs.toFixed(0).padStart(7)} ms ${pct(f.totalMs).padStart(7)}  ${f.name}`);
  console.log('--- self');
  for (const f of [...functions].sort((a, b) => b.selfMs - a.selfMs).filter((f) => !filter || f.name.includes(filter)).slice(0, top)) {
    console.log(`${f.selfMs.toFixed(0).padStart(7)} ms ${pct(f.selfMs).padStart(7)}  ${f.name}`);
  }
}
