import { mkdirSync, readdirSync, readFileSync, openSync, writeSync, fdatasyncSync, closeSync, statSync, unlinkSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Gap, Result, UnsequencedResult } from '@nines/shared';

export interface SpoolOptions {
  dir: string;
  /** Oldest results are dropped (and a gap recorded) beyond this many bytes on disk. */
  maxBytes?: number;
  /** ... or when older than this. */
  maxAgeMs?: number;
  segmentBytes?: number;
  /** fdatasync after every append: survives power loss, costs ~1 ms a result on a plain disk. */
  sync?: boolean;
}

interface Segment {
  file: string;
  firstSeq: number;
  lastSeq: number;
  bytes: number;
  firstAt: number;
  lastAt: number;
}

interface SpoolState {
  ackedUpTo: number;
  gaps: Gap[];
}

export const DEFAULT_SPOOL_MAX_BYTES = 50 * 1024 * 1024; // a week of 50 checks a minute is ~35 MB
export const DEFAULT_SPOOL_MAX_AGE_MS = 7 * 86_400_000;
const DEFAULT_SEGMENT_BYTES = 1024 * 1024; // small enough to read whole on replay, big enough to keep files few

/**
 * The agent's outbox on disk: every result gets the next seq and is appended to a JSON-lines segment
 * before it is sent; a segment is deleted only when the collector has acknowledged all of it.
 * A torn last line (crash mid-write) is ignored on reading. Plain files rather than SQLite so that the
 * agent stays one JavaScript file with no native module.
 */
export class Spool {
  private readonly dir: string;
  private readonly maxBytes: number;
  private readonly maxAgeMs: number;
  private readonly segmentBytes: number;
  private readonly sync: boolean;
  private segments: Segment[] = [];
  private state: SpoolState = { ackedUpTo: 0, gaps: [] };
  private fd: number | null = null;
  private nextSeq = 1;

  constructor(options: SpoolOptions) {
    this.dir = options.dir;
    this.maxBytes = options.maxBytes ?? DEFAULT_SPOOL_MAX_BYTES;
    this.maxAgeMs = options.maxAgeMs ?? DEFAULT_SPOOL_MAX_AGE_MS;
    this.segmentBytes = options.segmentBytes ?? DEFAULT_SEGMENT_BYTES;
    this.sync = options.sync ?? true;
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    this.load();
  }

  /** Highest seq assigned so far (0 when none). */
  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  get ackedUpTo(): number {
    return this.state.ackedUpTo;
  }

  /** Results written but not yet acknowledged. */
  get backlog(): number {
    let n = 0;
    for (const s of this.segments) n += Math.max(0, s.lastSeq - Math.max(s.firstSeq - 1, this.state.ackedUpTo));
    return n;
  }

  get bytes(): number {
    return this.segments.reduce((sum, s) => sum + s.bytes, 0);
  }

  /** Gaps not yet acknowledged by the collector. */
  get pendingGaps(): readonly Gap[] {
    return this.state.gaps;
  }

  /** Gives the result its seq and makes it durable; returns it with the seq. */
  append(result: UnsequencedResult, now: number): Result {
    const sequenced: Result = { seq: this.nextSeq, ...result };
    const line = JSON.stringify(sequenced) + '\n';
    let active = this.segments.at(-1);
    if (!active || this.fd === null || active.bytes >= this.segmentBytes) active = this.startSegment(sequenced.seq, now);
    writeSync(this.fd!, line);
    if (this.sync) fdatasyncSync(this.fd!);
    this.nextSeq++;
    active.lastSeq = sequenced.seq;
    active.lastAt = result.startedAt;
    active.bytes += Buffer.byteLength(line);
    this.enforceCap(now);
    return sequenced;
  }

  /** Up to `limit` unacknowledged results with seq > afterSeq, oldest first. */
  read(afterSeq: number, limit: number): Result[] {
    const from = Math.max(afterSeq, this.state.ackedUpTo);
    const out: Result[] = [];
    for (const segment of this.segments) {
      if (segment.lastSeq <= from) continue;
      for (const r of readSegment(join(this.dir, segment.file))) {
        if (r.seq <= from) continue;
        out.push(r);
        if (out.length >= limit) return out;
      }
    }
    return out;
  }

  /** The collector stored everything up to `upTo`: drop what is no longer needed. */
  ack(upTo: number): void {
    if (upTo <= this.state.ackedUpTo) return;
    this.state.ackedUpTo = Math.min(upTo, this.lastSeq);
    this.state.gaps = this.state.gaps.filter((g) => g.toSeq > this.state.ackedUpTo);
    while (this.segments.length > 1 && this.segments[0]!.lastSeq <= this.state.ackedUpTo) this.removeOldest();
    const active = this.segments[0];
    if (active && this.segments.length === 1 && active.lastSeq <= this.state.ackedUpTo && active.bytes >= this.segmentBytes) this.removeOldest();
    this.saveState();
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private startSegment(firstSeq: number, now: number): Segment {
    if (this.fd !== null) closeSync(this.fd);
    const file = `seg-${String(firstSeq).padStart(12, '0')}.jsonl`;
    this.fd = openSync(join(this.dir, file), 'a', 0o600);
    const segment = { file, firstSeq, lastSeq: firstSeq - 1, bytes: 0, firstAt: now, lastAt: now };
    this.segments.push(segment);
    return segment;
  }

  private enforceCap(now: number): void {
    while (this.segments.length > 1) {
      const oldest = this.segments[0]!;
      const tooBig = this.bytes > this.maxBytes;
      const tooOld = now - oldest.lastAt > this.maxAgeMs;
      if (!tooBig && !tooOld) return;
      const fromSeq = Math.max(oldest.firstSeq, this.state.ackedUpTo + 1);
      if (oldest.lastSeq >= fromSeq) {
        this.state.gaps.push({
          type: 'gap', fromSeq, toSeq: oldest.lastSeq, from: oldest.firstAt, to: oldest.lastAt,
          reason: tooBig ? `agent spool over ${this.maxBytes} bytes` : `results older than ${this.maxAgeMs / 86_400_000} days`,
        });
      }
      this.removeOldest();
      this.state.ackedUpTo = Math.max(this.state.ackedUpTo, oldest.lastSeq);
      this.saveState();
    }
  }

  private removeOldest(): void {
    const oldest = this.segments.shift()!;
    if (this.segments.length === 0 && this.fd !== null) {
      closeSync(this.fd);
      this.fd = null;
    }
    unlinkSync(join(this.dir, oldest.file));
  }

  private load(): void {
    const statePath = join(this.dir, 'state.json');
    if (existsSync(statePath)) this.state = JSON.parse(readFileSync(statePath, 'utf8')) as SpoolState;
    const files = readdirSync(this.dir).filter((f) => /^seg-\d{12}\.jsonl$/.test(f)).sort();
    for (const file of files) {
      const results = readSegment(join(this.dir, file));
      const firstSeq = Number(file.slice(4, 16));
      const last = results.at(-1);
      this.segments.push({
        file, firstSeq, lastSeq: last?.seq ?? firstSeq - 1, bytes: statSync(join(this.dir, file)).size,
        firstAt: results[0]?.startedAt ?? 0, lastAt: last?.startedAt ?? 0,
      });
    }
    const lastSeq = Math.max(this.segments.at(-1)?.lastSeq ?? 0, this.state.ackedUpTo);
    this.nextSeq = lastSeq + 1;
    // Never append to a segment that may end in a torn line: start a fresh one on the first append.
    this.fd = null;
  }

  private saveState(): void {
    const path = join(this.dir, 'state.json');
    writeFileSync(path + '.tmp', JSON.stringify(this.state), { mode: 0o600 });
    renameSync(path + '.tmp', path);
  }
}

function readSegment(path: string): Result[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  const out: Result[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      out.push(JSON.parse(line) as Result);
    } catch {
      // a torn write from a crash: everything before it is intact, nothing after it was acknowledged
    }
  }
  return out;
}
