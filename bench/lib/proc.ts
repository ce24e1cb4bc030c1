import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ: fixed at 100 in the Linux ABI for /proc/<pid>/stat, whatever the kernel's HZ

export interface ProcSample {
  /** Resident set size now, in KiB. */
  rssKiB: number;
  /** Peak resident set size since start (VmHWM), in KiB. */
  peakRssKiB: number;
  /** User + system CPU time of the process itself (not its children), in ms. */
  cpuMs: number;
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
  return { rssKiB: kib('VmRSS'), peakRssKiB: kib('VmHWM'), cpuMs: ((utime + stime) * 1000) / TICKS_PER_SECOND };
}
