import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '@nines/shared';
import { buildApp } from '../../src/app.ts';
import { openTestStoreAt, TEST_STORE } from '../helpers/test-store.ts';
import type { TestCollector } from '../helpers/collector.ts';
import { startCollector } from '../helpers/collector.ts';

/**
 * Like startCollector, but on a chosen port and data dir, so a test can stop a collector and start
 * it again where the agents expect it (a restart).
 */
export async function startCollectorAt(options: { dir: string; port: number; clock?: Clock }): Promise<Pick<TestCollector, 'app' | 'store' | 'url' | 'dir' | 'close'>> {
  // The store of this data directory, of the suite's kind: a PostgreSQL database named in it is reopened.
  const opened = await openTestStoreAt(options.dir, TEST_STORE);
  const store = opened.store;
  const app = await buildApp({ store, clock: options.clock });
  await app.listen({ host: '127.0.0.1', port: options.port });
  return {
    app, store, url: `http://127.0.0.1:${options.port}`, dir: options.dir,
    async close() {
      await app.close();
      await opened.close();
      rmSync(options.dir, { recursive: true, force: true });
    },
  };
}

export { startCollector };

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Polls until the condition holds; throws after `ms` naming what it waited for. */
export async function until(what: string, condition: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
