import { mkdirSync, readdirSync, readFileSync, openSync, writeSync, fdatasyncSync, ftruncateSync, closeSync, statSync, unlinkSync, renameSync, writeFileSync, existsSync } from 'node:fs';
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
  /** fdatasync appended results: they survive power loss. */
  sync?: boolean;
  /**
   * Group commit: with `sync`, one fdatasync at most this many ms after the first unsynced append instead of one
   * per append (0: every append synced before it returns). Only synced results are read for sending.
   */
  syncWindowMs?: number;
  /** Told when appended results became durable (readable for sending) after a group commit. */
  onDurable?: () => void;
  /** An ack-only change of state.json is written at most this long after it (gaps and segment deletions at once). */
  stateSaveDelayMs?: number;
  /** The appending writes; tests replace them to simulate a full disk (short writes, ENOSPC). */
  fs?: SpoolFs;
}

/** The few file calls an append makes, so a full disk can be simulated with a real file system. */
export interface SpoolFs {
  writeSync(fd: number, data: Buffer, offset: number, length: number): number;
  fdatasyncSync(fd: number): void;
  ftruncateSync(fd: number, length: number): void;
}
const nodeFs: SpoolFs = { writeSync: (fd, data, offset, length) => writeSync(fd, data, offset, length), fdatasyncSync, ftruncateSync };

interface Segment {
  file: string;
  firstSeq: number;
  lastSeq: number;
  bytes: number;
  /** startedAt of the newest result in it: the age cap looks at this. */
  lastAt: number;
}

interface Entry {
  result: Result;
  /** Bytes of its line in the segment, newline included. */
  bytes: number;
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
const UNWRITABLE_REASON = 'agent could not write its spool';
/** Newest appended results kept parsed in memory, so sending and acking never reread the active segment. */
const MAX_TAIL_ENTRIES = 5_000;
const DEFAULT_STATE_SAVE_DELAY_MS = 5_000;

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
  private readonly fs: SpoolFs;
  private readonly syncWindowMs: number;
  private readonly stateSaveDelayMs: number;
  private readonly onDurable: (() => void) | undefined;
  /**
   * The results appended by this process, oldest first, from `tail[tailHead]` on: every result on disk with
   * seq ≥ tailFromSeq is here (older unacknowledged ones are read from their segment file).
   */
  private tail: Entry[] = [];
  private tailHead = 0;
  private tailFromSeq = 1;
  /** Every seq up to this is synced to disk or a gap: what read() may return. */
  private durableSeq = 0;
  /** Size of the active segment up to its last synced line. */
  private syncedBytes = 0;
  private syncTimer: NodeJS.Timeout | null = null;
  private stateTimer: NodeJS.Timeout | null = null;
  /** The last segment file read from disk, parsed (a replay reads one segment in several batches). */
  private diskCache: { file: string; size: number; entries: Entry[] } | null = null;
  /** Why the last append could not be written (null once one succeeds): for the agent's status. */
  lastWriteError: string | null = null;

  constructor(options: SpoolOptions) {
    this.dir = options.dir;
    this.maxBytes = options.maxBytes ?? DEFAULT_SPOOL_MAX_BYTES;
    this.maxAgeMs = options.maxAgeMs ?? DEFAULT_SPOOL_MAX_AGE_MS;
    this.segmentBytes = options.segmentBytes ?? Math.max(MIN_SEGMENT_BYTES, Math.min(MAX_SEGMENT_BYTES, Math.floor(this.maxBytes / 8)));
    this.sync = options.sync ?? true;
    this.fs = options.fs ?? nodeFs;
    this.syncWindowMs = this.sync ? Math.max(0, options.syncWindowMs ?? 0) : 0;
    this.stateSaveDelayMs = Math.max(0, options.stateSaveDelayMs ?? DEFAULT_STATE_SAVE_DELAY_MS);
    this.onDurable = options.onDurable;
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

  /**
   * Gives the result its seq and makes it durable; returns it with the seq. When it cannot be written (disk
   * full) the segment is cut back to its last whole line and the seq becomes a gap the collector marks UNKNOWN:
   * never a torn fragment that the next line is glued to, never a seq that silently goes missing.
   */
  append(result: UnsequencedResult, now: number): Result {
    let sequenced: Result = { seq: this.nextSeq, ...result };
    let line = JSON.stringify(sequenced) + '\n';
    if (Buffer.byteLength(line) > MAX_RESULT_BYTES) {
      sequenced = { ...sequenced, details: { dropped: `details over ${MAX_RESULT_BYTES} bytes left out by the agent` } };
      line = JSON.stringify(sequenced) + '\n';
    }
    let active = this.segments.at(-1);
    const data = Buffer.from(line);
    const grouped = this.syncWindowMs > 0;
    try {
      if (!active || this.fd === null || active.bytes >= this.segmentBytes) active = this.startSegment(sequenced.seq);
      this.writeWhole(this.fd!, data, active.bytes, !grouped);
    } catch (error) {
      this.nextSeq++;
      this.recordUnwritable(sequenced, sequenced.seq, error as Error);
      if (this.syncTimer === null) this.durableSeq = this.lastSeq;
      return sequenced;
    }
    this.nextSeq++;
    this.lastWriteError = null;
    active.lastSeq = sequenced.seq;
    active.lastAt = result.startedAt;
    active.bytes += data.length;
    this.pushTail({ result: sequenced, bytes: data.length });
    if (grouped) {
      this.syncTimer ??= setTimeout(() => this.flush(), this.syncWindowMs);
      this.syncTimer.unref?.();
    } else {
      this.durableSeq = this.lastSeq;
      this.syncedBytes = active.bytes;
    }
    this.enforceCap(now);
    return sequenced;
  }

  /**
   * Group commit: one fdatasync for everything appended since the last one; then it may be sent. When the sync
   * fails the unsynced lines are cut off and their seqs become a gap, as a failed append's (never a result the
   * collector stores that a power cut could take from the spool, so that its seq would be given again).
   */
  flush(): void {
    if (this.syncTimer) clearTimeout(this.syncTimer);
    this.syncTimer = null;
    if (this.durableSeq >= this.lastSeq) return;
    const active = this.segments.at(-1);
    if (this.fd !== null && active && active.bytes > this.syncedBytes) {
      try {
        this.fs.fdatasyncSync(this.fd);
        this.syncedBytes = active.bytes;
      } catch (error) {
        this.dropUnsynced(active, error as Error);
      }
    }
    this.durableSeq = this.lastSeq;
    this.onDurable?.();
  }

  private dropUnsynced(active: Segment, error: Error): void {
    const fromSeq = Math.max(this.durableSeq + 1, active.firstSeq);
    const lost = this.entriesFrom(fromSeq).map((e) => e.result);
    try {
      this.fs.ftruncateSync(this.fd!, this.syncedBytes);
    } catch {
      this.closeActive();
    }
    active.bytes = this.syncedBytes;
    active.lastSeq = fromSeq - 1;
    const keep = this.tail.length - this.entriesFrom(fromSeq).length;
    this.tail.length = keep;
    this.compactTail();
    if (lost.length === 0) return;
    const first = lost[0]!;
    this.recordUnwritable({ ...first, finishedAt: Math.max(...lost.map((r) => r.finishedAt)) }, this.lastSeq, error);
  }

  /** Writes all of `data` at the end of the segment, or truncates back to `size` (its whole lines) and throws. */
  private writeWhole(fd: number, data: Buffer, size: number, syncNow: boolean): void {
    let written = 0;
    try {
      while (written < data.length) {
        const n = this.fs.writeSync(fd, data, written, data.length - written);
        if (n <= 0) throw Object.assign(new Error(`short write (${written} of ${data.length} bytes)`), { code: 'ENOSPC' });
        written += n;
      }
      if (this.sync && syncNow) this.fs.fdatasyncSync(fd);
    } catch (error) {
      try {
        this.fs.ftruncateSync(fd, size);
      } catch {
        // cannot even truncate: the reader skips a torn last line, and the next append starts a new segment
        this.closeActive();
      }
      throw error;
    }
  }

  /** Results `result.seq`…`toSeq` are lost: their seqs join (or start) a gap, kept in the state file when that can still be written. */
  private recordUnwritable(result: Result, toSeq: number, error: Error): void {
    const code = (error as NodeJS.ErrnoException).code;
    this.lastWriteError = `${code ?? 'write failed'}: ${error.message}`;
    const last = this.state.gaps.at(-1);
    if (last && last.toSeq === result.seq - 1 && last.reason.startsWith(UNWRITABLE_REASON)) {
      last.toSeq = toSeq;
      last.to = Math.max(last.to, result.finishedAt);
    } else {
      this.state.gaps.push({ type: 'gap', fromSeq: result.seq, toSeq, from: result.startedAt, to: Math.max(result.startedAt, result.finishedAt), reason: `${UNWRITABLE_REASON} (${code ?? error.message})` });
    }
    try {
      this.saveState();
    } catch {
      // the disk is full: the gap is sent from memory; after a restart the collector counts the hole as lost
    }
  }

  private closeActive(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  /**
   * Unacknowledged results with seq > afterSeq, oldest first: at most `limit` of them and, beyond the
   * first, at most `maxBytes` of JSON, so that a batch always fits in one frame.
   */
  read(afterSeq: number, limit: number, maxBytes = Infinity, beforeSeq = Infinity): Result[] {
    const from = Math.max(afterSeq, this.state.ackedUpTo);
    const before = Math.min(beforeSeq, this.durableSeq + 1);
    const out: Result[] = [];
    let bytes = 0;
    /** false: the batch is complete. */
    const take = ({ result, bytes: size }: Entry): boolean => {
      if (result.seq >= before) return false;
      if (out.length > 0 && bytes + size > maxBytes) return false;
      out.push(result);
      bytes += size;
      return out.length < limit;
    };
    // Older than the in-memory tail (a replay after a restart or a long outage): from the segment files.
    if (from + 1 < this.tailFromSeq) {
      for (const segment of this.segments) {
        if (segment.lastSeq <= from || segment.firstSeq >= this.tailFromSeq) continue;
        for (const entry of this.segmentEntries(segment)) {
          if (entry.result.seq <= from) continue;
          if (entry.result.seq >= this.tailFromSeq) break;
          if (!take(entry)) return out;
        }
      }
    }
    for (const entry of this.entriesFrom(from + 1)) if (!take(entry)) return out;
    return out;
  }

  /** Tail entries with seq ≥ fromSeq (a view: binary search for the start). */
  private entriesFrom(fromSeq: number): Entry[] {
    let lo = this.tailHead;
    let hi = this.tail.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.tail[mid]!.result.seq < fromSeq) lo = mid + 1;
      else hi = mid;
    }
    return this.tail.slice(lo);
  }

  private pushTail(entry: Entry): void {
    this.tail.push(entry);
    if (this.tail.length - this.tailHead > MAX_TAIL_ENTRIES) {
      // Not acknowledged for a long while (collector away): the oldest are read from the file when they are sent.
      this.tailFromSeq = this.tail[this.tailHead]!.result.seq + 1;
      this.tail[this.tailHead++] = undefined as unknown as Entry;
    }
    this.compactTail();
  }

  /** Drops tail entries up to `upTo` (acknowledged or dropped into a gap). */
  private trimTail(upTo: number): void {
    while (this.tailHead < this.tail.length && this.tail[this.tailHead]!.result.seq <= upTo) this.tail[this.tailHead++] = undefined as unknown as Entry;
    this.compactTail();
  }

  private compactTail(): void {
    if (this.tailHead === this.tail.length) (this.tail = []), (this.tailHead = 0);
    else if (this.tailHead > 1024 && this.tailHead * 2 > this.tail.length) (this.tail = this.tail.slice(this.tailHead)), (this.tailHead = 0);
  }

  private segmentEntries(segment: Segment): Entry[] {
    const path = join(this.dir, segment.file);
    if (this.diskCache?.file === segment.file && this.diskCache.size === segment.bytes) return this.diskCache.entries;
    const entries = readSegment(path);
    this.diskCache = { file: segment.file, size: segment.bytes, entries };
    return entries;
  }

  /**
   * The collector stored everything up to `upTo`: drop what is no longer needed. An `upTo` beyond our
   * own last seq means this spool was lost or reset while the collector kept our results: seqs continue
   * after the collector's, or new results would be taken for replays and silently skipped.
   */
  ack(upTo: number): void {
    if (upTo <= this.state.ackedUpTo) return;
    if (upTo > this.lastSeq) {
      this.flush();
      this.nextSeq = upTo + 1;
      this.durableSeq = upTo;
    }
    this.state.ackedUpTo = upTo;
    const gaps = this.state.gaps.length;
    this.state.gaps = this.state.gaps.filter((g) => g.toSeq > upTo);
    this.trimTail(upTo);
    const removable = () => this.segments.length > 0 && this.segments[0]!.lastSeq <= upTo && (this.segments.length > 1 || this.fd === null || this.segments[0]!.bytes >= this.segmentBytes);
    if (removable() || gaps !== this.state.gaps.length) {
      // The ack position is written before a segment goes: after a restart the seqs must continue after every
      // seq ever sent, and a deleted segment no longer says how far they went.
      this.saveState();
      while (removable()) this.removeOldest();
    } else {
      this.saveStateSoon();
    }
  }

  /**
   * An ack position lost in a crash only makes the agent offer those results again; the collector skips them
   * by seq. So a bare ack is written within stateSaveDelayMs, not on every ack.
   */
  private saveStateSoon(): void {
    if (this.stateSaveDelayMs === 0) return this.saveState();
    if (this.stateTimer) return;
    this.stateTimer = setTimeout(() => {
      this.stateTimer = null;
      try {
        this.saveState();
      } catch {
        // disk full: the next ack or close tries again; a stale ack position only means re-sending
      }
    }, this.stateSaveDelayMs);
    this.stateTimer.unref?.();
  }

  /**
   * The collector refused these results for good (a poison result, implausible times): they become a gap
   * (UNKNOWN span) so the stream moves on instead of offering them forever. Dropped when the gap is acknowledged.
   */
  refuse(fromSeq: number, toSeq: number, reason: string): void {
    if (toSeq <= this.state.ackedUpTo || this.state.gaps.some((g) => g.fromSeq <= fromSeq && g.toSeq >= toSeq)) return;
    const refused = this.read(fromSeq - 1, toSeq - fromSeq + 1, Infinity, toSeq + 1);
    const from = Math.min(...refused.map((r) => r.startedAt));
    const to = Math.max(...refused.map((r) => r.finishedAt));
    this.state.gaps.push({ type: 'gap', fromSeq, toSeq, from: Number.isFinite(from) ? from : 0, to: Number.isFinite(to) ? Math.max(to, from) : 0, reason: reason.slice(0, 200) });
    this.state.gaps.sort((a, b) => a.fromSeq - b.fromSeq);
    this.saveState();
  }

  close(): void {
    this.flush();
    if (this.stateTimer) {
      clearTimeout(this.stateTimer);
      this.stateTimer = null;
      try {
        this.saveState();
      } catch {
        // as in saveStateSoon
      }
    }
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private startSegment(firstSeq: number): Segment {
    // What is pending belongs to the segment being closed: synced before it is, so a group is always one file.
    if (this.syncTimer) this.flush();
    if (this.fd !== null) closeSync(this.fd);
    this.syncedBytes = 0;
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
      const dropped = this.segmentEntries(oldest).map((r) => r.result).filter((r) => r.seq >= fromSeq);
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
      this.state.ackedUpTo = Math.max(this.state.ackedUpTo, oldest.lastSeq);
      this.trimTail(this.state.ackedUpTo);
      this.saveState();
      this.removeOldest();
    }
  }

  private firstResultOf(segment: Segment): Result | undefined {
    return this.segmentEntries(segment)[0]?.result;
  }

  private removeOldest(): void {
    const oldest = this.segments.shift()!;
    if (this.diskCache?.file === oldest.file) this.diskCache = null;
    if (this.segments.length === 0 && this.fd !== null) {
      this.flush();
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
    this.tailFromSeq = this.nextSeq;
    this.durableSeq = lastSeq; // what survived the restart is on disk
    // Never append to a segment that may end in a torn line: start a fresh one on the first append.
    this.fd = null;
  }

  private saveState(): void {
    if (this.stateTimer) clearTimeout(this.stateTimer);
    this.stateTimer = null;
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
  const lines = text.split('\n');
  // Only a last line without its newline is torn (a crash mid-write; its seq is given again). Appends no longer
  // leave fragments inside a segment (a failed write is truncated back); a line an older agent glued to such a
  // fragment is salvaged from its last '{"seq":'. What still cannot be read is a seq hole the collector counts as lost.
  const last = text.endsWith('\n') ? -1 : lines.length - 1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line || i === last) continue;
    const value = parseLine(line) ?? parseLine(line.slice(Math.max(0, line.lastIndexOf('{"seq":'))));
    if (value) out.push({ result: value, bytes: Buffer.byteLength(line) + 1 });
  }
  return out;
}

function parseLine(line: string): Result | undefined {
  try {
    const value = JSON.parse(line) as Result;
    return Number.isInteger(value?.seq) ? value : undefined;
  } catch {
    return undefined;
  }
}
