/**
 * Where a running process's memory is, once a second: a preload for profiling the agent (not used by any scenario).
 *   NINES_MEMORY_SAMPLES=/tmp/agent-mem.jsonl NINES_BENCH_AGENT_NODE_ARGS="--import=$PWD/bench/lib/memory-sampler.mjs" \
 *     NINES_BENCH_STEADY_WARMUP_S=20 NINES_BENCH_STEADY_WINDOW_S=40 npm run bench -- steady
 * One JSON line per sample (MiB unless named otherwise): RSS and its peak (VmHWM); resident anonymous memory (heaps:
 * V8's, malloc's, stacks) and file-backed pages (mostly the node binary's code and data) from /proc/self/smaps_rollup;
 * process.memoryUsage(); V8's own malloc (compiler zones) and its peak; each heap space used/physical; GC count and
 * time from perf_hooks, CPU ms. Plain JavaScript, so it loads in the bundle's process without tsx.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';
import v8 from 'node:v8';

const file = process.env.NINES_MEMORY_SAMPLES ?? `/tmp/nines-memory-${process.pid}.jsonl`;
const every = Number(process.env.NINES_MEMORY_SAMPLE_MS ?? 1000);
const mib = (bytes) => Math.round((bytes / 1048576) * 10) / 10;
const gc = { count: 0, ms: 0 };
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) (gc.count++, (gc.ms += entry.duration));
}).observe({ entryTypes: ['gc'] });

function kib(text, key) {
  return Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? 0) * 1024;
}

function sample() {
  const usage = process.memoryUsage();
  const heap = v8.getHeapStatistics();
  const smaps = readFileSync('/proc/self/smaps_rollup', 'utf8');
  const status = readFileSync('/proc/self/status', 'utf8');
  const cpu = process.cpuUsage();
  appendFileSync(file, JSON.stringify({
    t: Date.now(), cpuMs: Math.round((cpu.user + cpu.system) / 1000), rss: mib(usage.rss), hwm: mib(kib(status, 'VmHWM')),
    anon: mib(kib(smaps, 'Anonymous')), file: mib(kib(smaps, 'Rss') - kib(smaps, 'Anonymous')),
    heapTotal: mib(usage.heapTotal), heapUsed: mib(usage.heapUsed), external: mib(usage.external), arrayBuffers: mib(usage.arrayBuffers),
    malloced: mib(heap.malloced_memory), peakMalloced: mib(heap.peak_malloced_memory),
    spaces: Object.fromEntries(v8.getHeapSpaceStatistics().map((s) => [s.space_name, `${mib(s.space_used_size)}/${mib(s.physical_space_size)}`])),
    gcCount: gc.count, gcMs: Math.round(gc.ms * 10) / 10,
  }) + '\n');
}

setInterval(sample, every).unref();
sample();
