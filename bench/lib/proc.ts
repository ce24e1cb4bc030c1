import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ: fixed at 100 in the Linux ABI for /proc/<pid>/stat, whatever the kernel's HZ

export interface ProcSample {
  /** Resident set size now, in KiB. */
  rssKiB: number;
  /** Peak resident set size since start (VmHWM), in KiB. */
  peakRssKiB: number;
  /** User + system CPU time of the process itself (not its children), in ms. */
  cpuMs: number;
  /** The system (kernel) part of cpuMs: syscalls such as socket and WAL writes. */
  systemCpuMs: number;
}

/** Reads another process's memory and CPU from /proc (Linux only: the benches name their machine). */
export function sampleProcess(pid: number): ProcSample {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  // The command name in field 2 may hold spaces and parentheses: count fields after the last ')'.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return { rssKiB: kib('VmRSS'), peakRssKiB: kib('VmHWM'), cpuMs: ((utime + stime) * 1000) / TICKS_PER_SECOND, systemCpuMs: (stime * 1000) / TICKS_PER_SECOND };
}

/**
 * CPU time of another process per thread name, in ms (/proc/<pid>/task/*: "node" is the main thread, "V8 Worker"
 * the GC and compiler helpers, "libuv-worker" the threadpool, worker threads by their own names). Threads that
 * ended are not counted: compare two samples of long-lived threads.
 */
export function threadCpuMs(pid: number): Record<string, number> {
  const out: Record<string, number> = {};
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tasks) {
    try {
      const name = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out[name] = (out[name] ?? 0) + ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
    } catch {
      /* the thread ended between the listing and the read */
    }
  }
  return out;
}
