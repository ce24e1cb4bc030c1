import t, { type Test } from 'tap';
import { mkdtempSync, rmSync, readdirSync, readFileSync, writeFileSync, appendFileSync, statSync, writeSync, fdatasyncSync, ftruncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { UnsequencedResult } from '@nines/shared';
import { Spool, MAX_RESULT_BYTES, type SpoolFs } from '../../src/spool.ts';

const T0 = Date.UTC(2026, 0, 5, 8, 0, 0);
const MIN = 60_000;

function result(at: number, overrides: Partial<UnsequencedResult> = {}): UnsequencedResult {
  return { checkId: 'web', kind: 'http', status: 'OK', message: 'HTTP 200 in 12 ms', metrics: { latency_ms: 12 }, startedAt: at, finishedAt: at + 12, ...overrides };
}
function tempDir(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'nines-spool-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

t.test('append gives consecutive seqs from 1; read returns the unacknowledged ones oldest first', async (t) => {
  const spool = new Spool({ dir: tempDir(t), sync: false });
  const seqs = [0, 1, 2, 3, 4].map((i) => spool.append(result(T0 + i * MIN), T0 + i * MIN).seq);
  t.same(seqs, [1, 2, 3, 4, 5]);
  t.equal(spool.lastSeq, 5);
  t.equal(spool.backlog, 5);
  t.same(spool.read(0, 100).map((r) => r.seq), [1, 2, 3, 4, 5]);
  t.same(spool.read(2, 2).map((r) => r.seq), [3, 4], 'afterSeq and limit');
  spool.ack(3);
  t.equal(spool.backlog, 2);
  t.same(spool.read(0, 100).map((r) => r.seq), [4, 5], 'acknowledged results are never offered again');
  spool.close();
});

t.test('read bounds a batch by bytes so it always fits in a frame, but never returns nothing', async (t) => {
  const spool = new Spool({ dir: tempDir(t), sync: false });
  for (let i = 0; i < 10; i++) spool.append(result(T0 + i, { message: 'x'.repeat(1000) }), T0);
  const lineBytes = JSON.stringify({ seq: 1, ...result(T0, { message: 'x'.repeat(1000) }) }).length + 1;
  t.equal(spool.read(0, 500, lineBytes * 3).length, 3);
  t.equal(spool.read(0, 500, 10).length, 1, 'one result even if it alone is over the byte bound');
  spool.close();
});

t.test('a result with huge details is kept without them, so it cannot wedge the replay', async (t) => {
  const spool = new Spool({ dir: tempDir(t), sync: false });
  const stored = spool.append(result(T0, { details: { packages: 'p'.repeat(MAX_RESULT_BYTES) } }), T0);
  t.match(stored.details, { dropped: /details over/ });
  t.equal(spool.read(0, 1)[0]!.status, 'OK');
  t.ok(spool.bytes < 2_000);
  spool.close();
});

t.test('everything survives a reopen: seqs continue, acknowledged stay acknowledged', async (t) => {
  const dir = tempDir(t);
  const first = new Spool({ dir, sync: false });
  for (let i = 0; i < 5; i++) first.append(result(T0 + i), T0);
  first.ack(2);
  first.close(); // or a kill -9: nothing is buffered in memory
  const second = new Spool({ dir, sync: false });
  t.equal(second.lastSeq, 5);
  t.equal(second.ackedUpTo, 2);
  t.same(second.read(0, 100).map((r) => r.seq), [3, 4, 5]);
  t.equal(second.append(result(T0 + 10), T0).seq, 6);
  second.close();
});

t.test('a torn last line (crash mid-write) is ignored and its seq given to the next result', async (t) => {
  const dir = tempDir(t);
  const first = new Spool({ dir, sync: false });
  for (let i = 0; i < 3; i++) first.append(result(T0 + i), T0);
  first.close();
  const [segment] = readdirSync(dir).filter((f) => f.startsWith('seg-'));
  appendFileSync(join(dir, segment!), '{"seq":4,"checkId":"web","kind":"ht');
  const second = new Spool({ dir, sync: false });
  t.equal(second.lastSeq, 3);
  t.same(second.read(0, 100).map((r) => r.seq), [1, 2, 3]);
  t.equal(second.append(result(T0 + 5), T0).seq, 4);
  t.same(second.read(0, 100).map((r) => r.seq), [1, 2, 3, 4], 'the new seq 4 lives in a fresh segment, after the torn line');
  t.equal(readdirSync(dir).filter((f) => f.startsWith('seg-')).length, 2);
  second.close();
});

t.test('an unreadable state file means "nothing acknowledged": the collector skips what it already has', async (t) => {
  const dir = tempDir(t);
  const first = new Spool({ dir, sync: false });
  for (let i = 0; i < 3; i++) first.append(result(T0 + i), T0);
  first.ack(1);
  first.close();
  writeFileSync(join(dir, 'state.json'), 'garbage{');
  const second = new Spool({ dir, sync: false });
  t.equal(second.lastSeq, 3);
  t.equal(second.ackedUpTo, 0);
  t.same(second.read(0, 100).map((r) => r.seq), [1, 2, 3], 'everything kept is offered again');
  second.close();
});

t.test('acknowledged segments are deleted; the active one is kept until it is full', async (t) => {
  const dir = tempDir(t);
  const spool = new Spool({ dir, sync: false, segmentBytes: 1000 });
  for (let i = 0; i < 40; i++) spool.append(result(T0 + i), T0);
  const before = readdirSync(dir).filter((f) => f.startsWith('seg-')).length;
  t.ok(before >= 4, `several segments (${before})`);
  spool.ack(40);
  const after = readdirSync(dir).filter((f) => f.startsWith('seg-'));
  t.ok(after.length <= 1, `at most the active segment remains (${after.join(', ')})`);
  t.equal(spool.backlog, 0);
  t.same(spool.read(0, 100), []);
  t.equal(spool.append(result(T0 + 100), T0).seq, 41);
  spool.close();
});

t.test('over the size cap the oldest segment is dropped and recorded as a gap with the span it covered', async (t) => {
  const dir = tempDir(t);
  const spool = new Spool({ dir, sync: false, maxBytes: 8_000, segmentBytes: 2_000 });
  for (let i = 0; i < 100; i++) spool.append(result(T0 + i * MIN), T0 + i * MIN);
  t.ok(spool.bytes <= 8_000 + 2_000, `the spool stays near its cap (${spool.bytes} bytes)`);
  const gaps = spool.pendingGaps;
  t.ok(gaps.length > 0, 'gaps recorded');
  const first = gaps[0]!;
  t.match(first, { type: 'gap', fromSeq: 1, reason: /over its cap of 8000 bytes/ });
  t.equal(first.from, T0, 'the gap starts at the first dropped result');
  t.equal(first.to, T0 + first.toSeq * MIN, 'and ends where the first kept result starts');
  for (let i = 1; i < gaps.length; i++) t.equal(gaps[i]!.fromSeq, gaps[i - 1]!.toSeq + 1, 'gaps are contiguous');
  const kept = spool.read(0, 1000);
  t.equal(kept[0]!.seq, gaps.at(-1)!.toSeq + 1, 'what is kept starts right after the last gap');
  t.equal(kept.at(-1)!.seq, 100);
  t.equal(spool.backlog, kept.length);

  // the collector acknowledges the gaps with the results after them: they are done
  spool.ack(100);
  t.same(spool.pendingGaps, []);

  // and gaps survive a restart until acknowledged
  for (let i = 100; i < 200; i++) spool.append(result(T0 + i * MIN), T0 + i * MIN);
  const pending = spool.pendingGaps.length;
  spool.close();
  t.equal(new Spool({ dir, sync: false, maxBytes: 8_000, segmentBytes: 2_000 }).pendingGaps.length, pending);
});

t.test('results older than the age cap are dropped into a gap, even under the size cap', async (t) => {
  const spool = new Spool({ dir: tempDir(t), sync: false, maxAgeMs: 3_600_000, segmentBytes: 500 });
  for (let i = 0; i < 10; i++) spool.append(result(T0 + i * MIN), T0 + i * MIN);
  t.same(spool.pendingGaps, []);
  spool.append(result(T0 + 2 * 3_600_000), T0 + 2 * 3_600_000);
  const gaps = spool.pendingGaps;
  t.ok(gaps.length > 0);
  t.match(gaps[0], { fromSeq: 1, from: T0, reason: /older than the spool's 1 h age cap/ });
  const kept = spool.read(0, 100).map((r) => r.seq);
  t.equal(kept[0], gaps.at(-1)!.toSeq + 1, 'what is kept starts right after the gap');
  t.equal(kept.at(-1), 11);
  t.ok(kept.length <= 4, `only the active segment is left (${kept.join(',')})`);
  spool.close();
});

t.test('an acknowledged prefix is not part of a gap', async (t) => {
  const spool = new Spool({ dir: tempDir(t), sync: false, maxBytes: 4_000, segmentBytes: 2_000 });
  for (let i = 0; i < 5; i++) spool.append(result(T0 + i * MIN), T0);
  spool.ack(3);
  for (let i = 5; i < 40; i++) spool.append(result(T0 + i * MIN), T0);
  t.ok(spool.pendingGaps.length > 0);
  t.equal(spool.pendingGaps[0]!.fromSeq, 4, 'the gap starts after what the collector has');
  spool.close();
});

t.test('an ack beyond the spool (spool lost, collector kept results) moves seqs past it', async (t) => {
  const spool = new Spool({ dir: tempDir(t), sync: false });
  spool.append(result(T0), T0);
  spool.ack(500);
  t.equal(spool.lastSeq, 500);
  t.equal(spool.backlog, 0);
  t.equal(spool.append(result(T0 + 1), T0).seq, 501, 'never a seq the collector would skip as a replay');
  spool.close();
});

t.test('files are private to the agent', async (t) => {
  const dir = tempDir(t);
  const spool = new Spool({ dir: join(dir, 'spool'), sync: false });
  spool.append(result(T0), T0);
  spool.ack(1);
  spool.close(); // writes the coalesced ack position
  t.equal(statSync(join(dir, 'spool')).mode & 0o777, 0o700);
  for (const f of readdirSync(join(dir, 'spool'))) t.equal(statSync(join(dir, 'spool', f)).mode & 0o077, 0, `${f} not readable by others`);
  t.match(JSON.parse(readFileSync(join(dir, 'spool', 'state.json'), 'utf8')), { ackedUpTo: 1 });
});

/** Real file calls, counting fdatasync; `failSync` makes the next fdatasync fail with EIO. */
function countingFs() {
  const control = { syncs: 0, failSync: false };
  const fs: SpoolFs = {
    writeSync: (fd, data, offset, length) => writeSync(fd, data, offset, length),
    fdatasyncSync(fd) {
      control.syncs++;
      if (control.failSync) throw Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' });
      fdatasyncSync(fd);
    },
    ftruncateSync,
  };
  return { fs, control };
}

t.test('group commit: one fdatasync per window, and a result is read for sending only once it is synced', async (t) => {
  const dir = tempDir(t);
  const { fs, control } = countingFs();
  let durable = 0;
  const spool = new Spool({ dir, sync: true, fs, syncWindowMs: 60_000, onDurable: () => durable++ });
  for (let i = 0; i < 5; i++) spool.append(result(T0 + i * MIN), T0 + i * MIN);
  t.equal(control.syncs, 0, 'nothing synced inside the window');
  t.same(spool.read(0, 100), [], 'unsynced results are not sent');
  t.equal(spool.backlog, 5, 'but they are in the backlog');
  spool.flush(); // what the window's timer does
  t.equal(control.syncs, 1, 'one fdatasync for the five');
  t.equal(durable, 1, 'the connection is told once');
  t.same(spool.read(0, 100).map((r) => r.seq), [1, 2, 3, 4, 5]);
  spool.flush();
  t.equal(control.syncs, 1, 'nothing pending: no sync');
  spool.append(result(T0 + 5 * MIN), T0 + 5 * MIN);
  spool.close();
  t.equal(control.syncs, 2, 'close syncs what is pending');
  t.same(new Spool({ dir, sync: false }).read(0, 100).map((r) => r.seq), [1, 2, 3, 4, 5, 6]);
});

t.test('group commit: the window timer syncs on its own', async (t) => {
  const { fs, control } = countingFs();
  let told = () => {};
  const durable = new Promise<void>((resolve) => (told = resolve));
  const spool = new Spool({ dir: tempDir(t), sync: true, fs, syncWindowMs: 5, onDurable: () => told() });
  const keepAlive = setTimeout(() => {}, 10_000); // the spool's timer is unref'd, as in the agent
  spool.append(result(T0), T0);
  await durable;
  clearTimeout(keepAlive);
  t.equal(control.syncs, 1);
  t.same(spool.read(0, 100).map((r) => r.seq), [1]);
  spool.close();
});

t.test('a failed group fdatasync cuts the unsynced lines off and makes their seqs one gap', async (t) => {
  const dir = tempDir(t);
  const { fs, control } = countingFs();
  const spool = new Spool({ dir, sync: true, fs, syncWindowMs: 60_000 });
  spool.append(result(T0), T0);
  spool.flush();
  control.failSync = true;
  spool.append(result(T0 + MIN), T0 + MIN);
  spool.append(result(T0 + 2 * MIN), T0 + 2 * MIN);
  spool.flush();
  t.match(spool.lastWriteError, /EIO/);
  t.same(spool.pendingGaps.map((g) => [g.fromSeq, g.toSeq]), [[2, 3]], 'the two unsynced results are a gap (UNKNOWN), never sent');
  t.match(spool.pendingGaps[0], { from: T0 + MIN, to: T0 + 2 * MIN + 12 });
  t.same(spool.read(0, 100).map((r) => r.seq), [1]);
  control.failSync = false;
  spool.append(result(T0 + 3 * MIN), T0 + 3 * MIN);
  spool.flush();
  t.same(spool.read(0, 100).map((r) => r.seq), [1, 4]);
  spool.close();
  const reopened = new Spool({ dir, sync: false });
  t.same(reopened.read(0, 100).map((r) => r.seq), [1, 4], 'the file holds only synced lines');
  t.same(reopened.pendingGaps.map((g) => [g.fromSeq, g.toSeq]), [[2, 3]], 'the gap was kept in the state file');
  reopened.close();
});

t.test('an ack is written to state.json later, not each time; after a crash the stale position only re-offers results', async (t) => {
  const dir = tempDir(t);
  const first = new Spool({ dir, sync: false, stateSaveDelayMs: 60_000 });
  for (let i = 0; i < 4; i++) first.append(result(T0 + i * MIN), T0 + i * MIN);
  first.ack(1);
  first.close();
  t.match(JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')), { ackedUpTo: 1 }, 'close writes the position');
  const again = new Spool({ dir, sync: false, stateSaveDelayMs: 60_000 });
  again.ack(3);
  t.match(JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')), { ackedUpTo: 1 }, 'an ack waits');
  // crash: no close()
  const second = new Spool({ dir, sync: false });
  t.same(second.read(0, 100).map((r) => r.seq), [2, 3, 4], 'seqs 2–3 are offered again; the collector skips them by seq');
  t.equal(second.lastSeq, 4, 'seqs continue after the last one written');
  second.close();
});

t.test('deleting an acknowledged segment writes the ack position first, so seqs continue after a crash', async (t) => {
  const dir = tempDir(t);
  const first = new Spool({ dir, sync: false, segmentBytes: 500, stateSaveDelayMs: 60_000 });
  for (let i = 0; i < 8; i++) first.append(result(T0 + i * MIN), T0 + i * MIN);
  first.ack(first.lastSeq);
  // crash without close: every segment may be gone, but state.json says how far the seqs went
  const second = new Spool({ dir, sync: false });
  t.equal(second.lastSeq, 8);
  t.equal(second.append(result(T0 + 9 * MIN), T0 + 9 * MIN).seq, 9);
  second.close();
});

t.test('a long outage beyond the in-memory tail is read back from the files in order', async (t) => {
  const spool = new Spool({ dir: tempDir(t), sync: false, segmentBytes: 64 * 1024 });
  const total = 6_000;
  for (let i = 0; i < total; i++) spool.append(result(T0 + i * 1000), T0 + i * 1000);
  const seen: number[] = [];
  for (let after = 0; seen.length < total; ) {
    const batch = spool.read(after, 500);
    t.ok(batch.length > 0, `batch after ${after}`);
    if (batch.length === 0) break;
    seen.push(...batch.map((r) => r.seq));
    after = batch.at(-1)!.seq;
    spool.ack(after);
  }
  t.same(seen, Array.from({ length: total }, (_, i) => i + 1));
  spool.close();
});

/** The real file calls, with a full disk switched on and off: short writes, then ENOSPC. */
function fullDisk() {
  const control = { mode: 'ok' as 'ok' | 'short' | 'enospc', writes: 0 };
  const enospc = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
  const fs: SpoolFs = {
    writeSync(fd, data, offset, length) {
      control.writes++;
      if (control.mode === 'enospc') throw enospc();
      if (control.mode === 'short') {
        const n = writeSync(fd, data, offset, Math.max(1, Math.floor(length / 2)));
        control.mode = 'enospc'; // the disk is now full: the rest of the line fails
        return n;
      }
      return writeSync(fd, data, offset, length);
    },
    fdatasyncSync,
    ftruncateSync,
  };
  return { fs, control };
}

t.test('a full disk (short write, then ENOSPC) leaves no torn fragment inside a segment and loses no durable result', async (t) => {
  const dir = tempDir(t);
  const { fs, control } = fullDisk();
  const spool = new Spool({ dir, sync: true, fs });
  for (let i = 0; i < 3; i++) spool.append(result(T0 + i * MIN), T0 + i * MIN);
  control.mode = 'short';
  const lost = [spool.append(result(T0 + 3 * MIN), T0 + 3 * MIN), spool.append(result(T0 + 4 * MIN), T0 + 4 * MIN)];
  t.same(lost.map((r) => r.seq), [4, 5], 'the unwritable results still take their seqs');
  t.match(spool.lastWriteError, /ENOSPC/);
  t.same(spool.pendingGaps.map((g) => [g.fromSeq, g.toSeq]), [[4, 5]], 'they become one gap, so the collector marks the span UNKNOWN');
  t.match(spool.pendingGaps[0], { from: T0 + 3 * MIN, to: T0 + 4 * MIN + 12, reason: /could not write its spool \(ENOSPC\)/ });
  control.mode = 'ok';
  spool.append(result(T0 + 5 * MIN), T0 + 5 * MIN);
  spool.append(result(T0 + 6 * MIN), T0 + 6 * MIN);
  t.equal(spool.lastWriteError, null);
  const text = readdirSync(dir).filter((f) => f.endsWith('.jsonl')).map((f) => readFileSync(join(dir, f), 'utf8')).join('');
  for (const line of text.trimEnd().split('\n')) t.doesNotThrow(() => JSON.parse(line), 'every line in the segment is whole');
  t.same(spool.read(0, 100).map((r) => r.seq), [1, 2, 3, 6, 7], 'every result that was written is read back, none glued to a fragment');
  spool.close();
  const reopened = new Spool({ dir, sync: false });
  t.same(reopened.read(0, 100).map((r) => r.seq), [1, 2, 3, 6, 7], 'and after a restart');
  t.same(reopened.pendingGaps.map((g) => [g.fromSeq, g.toSeq]), [[4, 5]], 'the gap was kept in the state file');
  t.equal(reopened.lastSeq, 7);
  reopened.close();
});

t.test('only a torn last line is skipped; a line an older agent glued to a fragment is salvaged', async (t) => {
  const dir = tempDir(t);
  const spool = new Spool({ dir, sync: false });
  for (let i = 0; i < 2; i++) spool.append(result(T0 + i), T0);
  spool.close();
  const [file] = readdirSync(dir).filter((f) => f.endsWith('.jsonl'));
  const line = (seq: number) => JSON.stringify({ seq, ...result(T0 + seq) });
  // what the old append left on ENOSPC: half a line, then the next result glued to it, then a torn tail
  appendFileSync(join(dir, file!), line(3).slice(0, 40) + line(4) + '\n' + line(5) + '\n' + line(6).slice(0, 30));
  const reopened = new Spool({ dir, sync: false });
  t.same(reopened.read(0, 100).map((r) => r.seq), [1, 2, 4, 5], 'seq 4 was durable and is read; only the torn tail (6) is skipped');
  t.equal(reopened.lastSeq, 5, 'the torn last seq is given again');
  reopened.close();
});

t.test('results the collector refused for good become a gap; acknowledging the gap drops them', async (t) => {
  const spool = new Spool({ dir: tempDir(t), sync: false });
  for (let i = 0; i < 5; i++) spool.append(result(T0 + i * MIN), T0 + i * MIN);
  spool.refuse(3, 3, 'collector refused: details too deep');
  t.match(spool.pendingGaps, [{ fromSeq: 3, toSeq: 3, from: T0 + 2 * MIN, to: T0 + 2 * MIN + 12, reason: /refused/ }]);
  t.same(spool.read(0, 100, Infinity, 3).map((r) => r.seq), [1, 2], 'read stops before a seq when asked (the agent sends what precedes a gap first)');
  spool.ack(3);
  t.same(spool.pendingGaps, []);
  t.same(spool.read(0, 100).map((r) => r.seq), [4, 5]);
  spool.close();
});
