import t, { type Test } from 'tap';
import pg from 'pg';
import { PgCoordination } from '../../src/store/postgres/coordination.ts';
import { postgresTestDatabase } from '../helpers/test-store.ts';

// Real PostgreSQL: collectors on one database contend for the leader's advisory lock and tell each other on
// LISTEN/NOTIFY. The leader's session ending (a stop, or the server cutting it as a crash does) hands over.
const EVERY_MS = 100;
const url = await postgresTestDatabase(t);

/** A coordination whose leadership changes and messages are recorded. */
async function member(t: Test, name: string) {
  const c = new PgCoordination(url!, EVERY_MS);
  const seen = { leading: [] as boolean[], messages: [] as string[] };
  await c.start({ leading: (l) => seen.leading.push(l), message: (m) => seen.messages.push(m) });
  t.teardown(() => c.stop());
  return { name, c, seen, get leading() { return seen.leading.at(-1) === true; } };
}

/** Polls until `ok()` or the bound; returns the ms it took. */
async function within(ms: number, ok: () => boolean): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < ms / 20 && !ok(); i++) await new Promise((r) => setTimeout(r, 20));
  return ok() ? Math.round(performance.now() - started) : -1;
}

if (url) {
  t.test('one leads, the other follows; messages reach the others and not the sender', async (t) => {
    const a = await member(t, 'a');
    const b = await member(t, 'b');
    t.same(a.seen.leading, [true], 'the first to start leads at once');
    t.same(b.seen.leading, [false], 'the second is told it follows');
    await new Promise((r) => setTimeout(r, 3 * EVERY_MS)); // a counts b as one to tell on its next round
    await a.c.publish('from a');
    await b.c.publish('from b');
    t.ok((await within(2_000, () => a.seen.messages.length > 0 && b.seen.messages.length > 0)) >= 0);
    t.same(b.seen.messages, ['from a']);
    t.same(a.seen.messages, ['from b']);

    await a.c.stop();
    const took = await within(2_000, () => b.leading);
    t.ok(took >= 0, `after a clean stop the follower leads (${took} ms, a round every ${EVERY_MS} ms)`);
    t.same(a.seen.leading, [true, false], 'the one that stopped says it no longer leads');
  });

  t.test('a collector alone on its database sends no message at all', async (t) => {
    const listener = new pg.Client({ connectionString: url });
    await listener.connect();
    t.teardown(() => listener.end());
    const heard: string[] = [];
    listener.on('notification', (n) => heard.push(n.payload ?? ''));
    await listener.query('LISTEN nines_events');
    const alone = await member(t, 'alone');
    await new Promise((r) => setTimeout(r, 3 * EVERY_MS));
    await alone.c.publish('to nobody');
    await new Promise((r) => setTimeout(r, 3 * EVERY_MS));
    t.same(heard, [], 'no NOTIFY: no other collector listens');
    const other = await member(t, 'other');
    await new Promise((r) => setTimeout(r, 3 * EVERY_MS));
    await alone.c.publish('to the other');
    t.ok((await within(2_000, () => other.seen.messages.includes('to the other'))) >= 0, 'once another is there, it is told');
    t.same(heard, ['to the other']);
  });

  t.test('the server cuts the leader off (as when it crashes): it steps down, the other takes over', async (t) => {
    const a = await member(t, 'a');
    const b = await member(t, 'b');
    const [leader, follower] = a.leading ? [a, b] : [b, a];
    t.equal(leader.leading && !follower.leading, true);
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    t.teardown(() => admin.end());
    const { rows } = await admin.query<{ pid: number }>(
      `SELECT l.pid FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    );
    t.equal(rows.length, 1, 'one session holds the lock');
    await admin.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
    t.ok((await within(3_000, () => follower.leading)) >= 0, 'the follower leads');
    t.ok((await within(3_000, () => !leader.leading)) >= 0, 'the old leader knows it does not');
    t.ok((await within(3_000, () => leader.seen.leading.length === 2)) >= 0);
    // The old leader reconnects as a follower and hears the new leader again.
    await new Promise((r) => setTimeout(r, 5 * EVERY_MS));
    await follower.c.publish('after the takeover');
    t.ok((await within(2_000, () => leader.seen.messages.includes('after the takeover'))) >= 0, 'the old leader listens again, as a follower');
    t.equal(leader.leading, false, 'and does not take the lock back');
  });

  t.test('a lock held elsewhere in the same database keeps every collector a follower until it is freed', async (t) => {
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    t.teardown(() => holder.end().catch(() => {}));
    await holder.query('SELECT pg_advisory_lock($1, $2)', [0x4e696e65, 1]);
    const a = await member(t, 'a');
    t.same(a.seen.leading, [false]);
    await holder.end();
    t.ok((await within(2_000, () => a.leading)) >= 0, 'leads once the lock is free');
  });
}
