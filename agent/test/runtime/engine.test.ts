import t from 'tap';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const run = promisify(execFile);
const child = join(dirname(fileURLToPath(import.meta.url)), 'helpers', 'engine-child.ts');

interface Seen { peakMalloced: number; newSpaceAtStart: number; newSpaceAtEnd: number }

async function measure(mode: 'tuned' | 'plain'): Promise<Seen> {
  const { stdout } = await run(process.execPath, ['--import=tsx', child, mode], { timeout: 60_000 });
  return JSON.parse(stdout) as Seen;
}

// Both processes do the same work; only the agent's engine flags differ (src/engine.ts says why each is set).
t.test('the engine flags keep the WebAssembly compiler peak and the young generation small', async (t) => {
  const plain = await measure('plain');
  const tuned = await measure('tuned');
  t.comment(`peak malloc ${(plain.peakMalloced / 1048576).toFixed(1)} → ${(tuned.peakMalloced / 1048576).toFixed(1)} MiB; ` +
    `young generation ${(plain.newSpaceAtEnd / 1048576).toFixed(1)} → ${(tuned.newSpaceAtEnd / 1048576).toFixed(1)} MiB`);
  // Without the flags TurboFan's compile of llhttp dominates V8's own memory; with Liftoff only it does not happen.
  t.ok(tuned.peakMalloced * 2 < plain.peakMalloced, 'without TurboFan for WebAssembly the compiler peak is less than half');
  t.ok(plain.newSpaceAtEnd > plain.newSpaceAtStart, 'the workload makes an untuned young generation grow (else this test proves nothing)');
  t.ok(tuned.newSpaceAtEnd <= tuned.newSpaceAtStart, 'with growth factor 1 it stays at its initial size');
});
