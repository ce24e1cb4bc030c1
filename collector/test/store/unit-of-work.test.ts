/**
 * The asynchronous unit of work on SQLite's one connection (store/sqlite/connection-gate.ts), through the Store
 * interface: all or nothing, savepoints, and — the reason for the gate — another context's call made while it
 * awaits neither slips into it nor is rolled back with it.
 */
import t, { type Test } from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { Store } from '../../src/store/store.ts';

function openStore(t: Test): Store {
  const dir = mkdtempSync(join(tmpdir(), 'nines-uow-'));
  const store = new SqliteStore(join(dir, 'nines.db'));
  t.teardown(() => (store.close(), rmSync(dir, { recursive: true, force: true })));
  return store;
}

const names = async (store: Store) => (await store.management.listClients(null)).map((c) => c.name);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Another request, as the server makes one: in a context of its own, not one the unit of work spawned (a timer
 * set inside the unit of work would carry its context). `fire()` from inside runs `what` in the outer context.
 */
function elsewhere<T>(what: () => Promise<T>): { fire(): void; done: Promise<T> } {
  let fire!: () => void;
  const fired = new Promise<void>((resolve) => (fire = resolve));
  return { fire, done: fired.then(what) };
}

t.test('all or nothing, across awaits; a nested one rolls back alone', async (t) => {
  const store = openStore(t);
  await t.rejects(store.unitOfWork(async () => {
    await store.management.createClient({ name: 'Bäckerei Müller' }, 1);
    await pause(5);
    throw new Error('boom');
  }), /boom/);
  t.same(await names(store), [], 'rolled back, though the write was awaited and time passed');

  const value = await store.unitOfWork(async () => {
    await store.management.createClient({ name: 'Kanzlei Berger' }, 1);
    await t.rejects(store.unitOfWork(async () => {
      await store.management.createClient({ name: 'Autohaus Nord' }, 1);
      throw new Error('inner');
    }), /inner/);
    await store.management.createClient({ name: 'Zahnarzt Weber' }, 1);
    return 42;
  });
  t.equal(value, 42, 'resolves with what work resolves with');
  t.same(await names(store), ['Kanzlei Berger', 'Zahnarzt Weber'], 'outer kept, the savepoint undone');
});

t.test("another context's write waits for the open unit of work and is not rolled back with it", async (t) => {
  const store = openStore(t);
  const order: string[] = [];
  const outside = elsewhere(async () => {
    order.push('outside asks');
    await store.management.createClient({ name: 'outside' }, 2);
    order.push('outside written');
  });
  const failing = store.unitOfWork(async () => {
    await store.management.createClient({ name: 'inside' }, 1);
    order.push('inside written');
    outside.fire(); // another request arrives while this one awaits
    await pause(20);
    order.push('inside fails');
    throw new Error('rolled back');
  });
  await t.rejects(failing, /rolled back/);
  await outside.done;
  t.same(order, ['inside written', 'outside asks', 'inside fails', 'outside written'], 'it asked while the unit of work was open and waited until it ended');
  t.same(await names(store), ['outside'], 'and kept its row: only the failed unit of work was undone');
});

t.test('units of work from two contexts run one after the other, in arrival order', async (t) => {
  const store = openStore(t);
  const events: string[] = [];
  const one = (name: string, ms: number) => store.unitOfWork(async () => {
    events.push(`${name} begins`);
    await store.management.createClient({ name }, 1);
    await pause(ms);
    events.push(`${name} ends`);
  });
  await Promise.all([one('first', 20), one('second', 0), one('third', 0)]);
  t.same(events, ['first begins', 'first ends', 'second begins', 'second ends', 'third begins', 'third ends']);
  t.same(await names(store), ['first', 'second', 'third']);
});

t.test('a repository error inside the unit of work rejects it and undoes its writes', async (t) => {
  const store = openStore(t);
  await store.management.createClient({ name: 'taken' }, 1);
  await t.rejects(store.unitOfWork(async () => {
    await store.management.createClient({ name: 'new one' }, 1);
    await store.management.createClient({ name: 'taken' }, 2); // the unique name refuses it
  }));
  t.same(await names(store), ['taken']);
});
