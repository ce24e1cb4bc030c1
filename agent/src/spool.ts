import { mkdirSync, readdirSync, readFileSync, openSync, writeSync, fdatasyncSync, closeSync, statSync, unlinkSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Gap, Result, UnsequencedResult } from '@nines/shared';

export interface SpoolOptions {
  dir: string;
  /** Oldest results are dropped (and a gap recorded) beyond this many bytes on disk. */
  maxBytes?: number;
  /** ... or when older than this. */
  maxAgeMs?: number;
  /** Size at which a new segment file is started; by default an eighth of maxBytes, at most 1 MiB. */
  segmentBytes?: number;
  /** fdatasync after every append: survives power loss, costs ~1 ms a result on a plain disk. */
  sync?: boolean;
}

interface Segment {
  file: string;
  firstSeq: number;
  lastSeq: number;
  bytes: number;
  /** startedAt of the newest result in it: the age cap looks at this. */
  lastAt: number;
}

interface SpoolState {
  ackedUpTo: number;
  gaps: Gap[];
}

export const DEFAULT_SPOOL_MAX_BYTES = 50 * 1024 * 1024; // a week of 50 checks a minute is ~35 MB
export const DEFAULT_SPOOL_MAX_AGE_MS = 7 * 86_400_000;
const MAX_SEGMENT_BYTES = 1024 * 1024; // small enough to read whole on replay, big enough to keep files few
const MIN_SEGMENT_BYTES = 4096;
/** A result line longer than this loses its details: one huge result must never wedge the replay. */
export const MAX_RESULT_BYTES = 256 * 1024;

/**
 * The agent's outbox on disk: every result gets the next seq and is appended to a JSON-lines segment
 * before it is sent; a segment is deleted only when the collector has acknowledged all of it.
 * A torn last line (crash mid-write) is ignored on reading and its seq given again. Over the size or
 * age cap the oldest whole segment is dropped and recorded as a gap the collector marks UNKNOWN.
 * Plain files rather than SQLite so that the agent stays one JavaScript file with no native module.
 */
export class Spool {
  private readonly dir: string;
  readonly maxBytes: number;
  readonly maxAgeMs: number;
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
    this.segmentBytes = options.segmentBytes ?? Math.max(MIN_SEGMENT_BYTES, Math.min(MAX_SEGMENT_BYTES, Math.floor(this.maxBytes / 8)));
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

  /** Results written but not yet acknowledged (or dropped into a gap). */
  get backlog(): number {
    let n = 0;
    for (const s of this.segments) n += Math.max(0, s.lastSeq - Math.max(s.firstSeq - 1, this.state.ackedUpTo));
    return n;
  }

  get bytes(): number {
    return this.segments.reduce((sum, s) => sum + s.bytes, 0);
  }

  /** Gaps not yet acknowledged by the collector, oldest first. */
  get pendingGaps(): readonly Gap[] {
    return this.state.gaps;
  }

  /** Gives the result its seq and makes it durable; returns it with the seq. */
  append(result: UnsequencedResult, now: number): Result {
    let sequenced: Result = { seq: this.nextSeq, ...result };
    let line = JSON.stringify(sequenced) + '\n';
    if (Buffer.byteLength(line) > MAX_RESULT_BYTES) {
      sequenced = { ...sequenced, details: { dropped: `details over ${MAX_RESULT_BYTES} bytes left out by the agent` } };
      line = JSON.stringify(sequenced) + '\n';
    }
    let active = this.segments.at(-1);
    if (!active || this.fd === null || active.bytes >= this.segmentBytes) active = this.startSegment(sequenced.seq);
    writeSync(this.fd!, line);
    if (this.sync) fdatasyncSync(this.fd!);
    this.nextSeq++;
    active.lastSeq = sequenced.seq;
    active.lastAt = result.startedAt;
    active.bytes += Buffer.byteLength(line);
    this.enforceCap(now);
    return sequenced;
  }

  /**
   * Unacknowledged results with seq > afterSeq, oldest first: at most `limit` of them and, beyond the
   * first, at most `maxBytes` of JSON, so that a batch always fits in one frame.
   */
  read(afterSeq: number, limit: number, maxBytes = Infinity): Result[] {
    const from = Math.max(afterSeq, this.state.ackedUpTo);
    const out: Result[] = [];
    let bytes = 0;
    for (const segment of this.segments) {
      if (segment.lastSeq <= from) continue;
      for (const { result, bytes: size } of readSegment(join(this.dir, segment.file))) {
        if (result.seq <= from) continue;
        if (out.length > 0 && bytes + size > maxBytes) return out;
        out.push(result);
        bytes += size;
        if (out.length >= limit) return out;
      }
    }
    return out;
  }

  /**
   * The collector stored everything up to `upTo`: drop what is no longer needed. An `upTo` beyond our
   * own last seq means this spool was lost or reset while the collector kept our results: seqs continue
   * after the collector's, or new results would be taken for replays and silently skipped.
   */
  ack(upTo: number): void {
    if (upTo <= this.state.ackedUpTo) return;
    if (upTo > this.lastSeq) this.nextSeq = upTo + 1;
    this.state.ackedUpTo = upTo;
    this.state.gaps = this.state.gaps.filter((g) => g.toSeq > upTo);
    while (this.segments.length > 0 && this.segments[0]!.lastSeq <= upTo && (this.segments.length > 1 || this.fd === null || this.segments[0]!.bytes >= this.segmentBytes)) {
      this.removeOldest();
    }
    this.saveState();
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private startSegment(firstSeq: number): Segment {
    if (this.fd !== null) closeSync(this.fd);
    const file = `seg-${String(firstSeq).padStart(12, '0')}.jsonl`;
    this.fd = openSync(join(this.dir, file), 'a', 0o600);
    const segment = { file, firstSeq, lastSeq: firstSeq - 1, bytes: 0, lastAt: 0 };
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
      const dropped = readSegment(join(this.dir, oldest.file)).map((r) => r.result).filter((r) => r.seq >= fromSeq);
      if (dropped.length > 0) {
        // The span the dropped results covered: from the first one's start to the first kept result's start.
        const nextKept = this.firstResultOf(this.segments[1]!);
        const from = Math.min(...dropped.map((r) => r.startedAt));
        const to = Math.max(from, nextKept?.startedAt ?? Math.max(...dropped.map((r) => r.finishedAt)));
        this.state.gaps.push({
          type: 'gap', fromSeq, toSeq: oldest.lastSeq, from, to,
          reason: tooBig ? `agent spool over its cap of ${this.maxBytes} bytes` : `results older than the spool's ${Math.round(this.maxAgeMs / 3_600_000)} h age cap`,
        });
      }
      this.removeOldest();
      this.state.ackedUpTo = Math.max(this.state.ackedUpTo, oldest.lastSeq);
      this.saveState();
    }
  }

  private firstResultOf(segment: Segment): Result | undefined {
    return readSegment(join(this.dir, segment.file))[0]?.result;
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
    if (existsSync(statePath)) this.state = readState(statePath);
    const files = readdirSync(this.dir).filter((f) => /^seg-\d{12}\.jsonl$/.test(f)).sort();
    for (const file of files) {
      const results = readSegment(join(this.dir, file)).map((r) => r.result);
      const firstSeq = Number(file.slice(4, 16));
      const last = results.at(-1);
      this.segments.push({ file, firstSeq, lastSeq: last?.seq ?? firstSeq - 1, bytes: statSync(join(this.dir, file)).size, lastAt: last?.startedAt ?? 0 });
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

/**
 * A state file that cannot be read counts as "nothing acknowledged": the whole spool is offered again
 * and the collector, idempotent on seq, skips what it has. Losing gaps is the lesser harm than crashing.
 */
function readState(path: string): SpoolState {
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as Partial<SpoolState>;
    if (Number.isInteger(value.ackedUpTo) && Array.isArray(value.gaps)) return { ackedUpTo: value.ackedUpTo!, gaps: value.gaps };
  } catch {
    // fall through
  }
  return { ackedUpTo: 0, gaps: [] };
}

function readSegment(path: string): { result: Result; bytes: number }[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  const out: { result: Result; bytes: number }[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      const value = JSON.parse(line) as Result;
      if (Number.isInteger(value?.seq)) out.push({ result: value, bytes: Buffer.byteLength(line) + 1 });
    } catch {
      // a torn write from a crash: everything before it is intact, nothing after it was acknowledged
    }
  }
  return out;
}
