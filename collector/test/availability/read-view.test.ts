/**
 * readView (rollups.ts) serves a host's checks and one check from its client's checks once the view has read them,
 * with the store's own answer and no statement of its own; anything the client's list cannot answer (another
 * client's agent, an agent without checks, a view that read no client) is asked of the store as before.
 */
import t from 'tap';
import { readView } from '../../src/availability/rollups.ts';
import type { AvailabilitySource } from '../../src/availability/source.ts';
import { availabilityFixture, MIN } from './helpers.ts';

t.test("a host's checks and a check come from its client's checks the view read", async (t) => {
  const fx = await availabilityFixture();
  t.teardown(() => fx.close());
  const acme = await fx.client('acme');
  const other = await fx.client('other');
  const pc1 = await fx.agent(acme, 'pc-1');
  const pc2 = await fx.agent(acme, 'pc-2');
  const bare = await fx.agent(acme, 'pc-3'); // no checks
  const stranger = await fx.agent(other, 'pc-x');
  await fx.check(pc1, 'web', 5 * MIN);
  await fx.check(pc1, 'down', 2 * MIN);
  await fx.check(pc2, 'web', MIN);
  await fx.check(stranger, 'web', MIN);

  const asked: string[] = [];
  const counted: AvailabilitySource = {
    maintenance: fx.store.maintenance,
    availability: new Proxy(fx.store.availability, {
      get(target, key) {
        const value = Reflect.get(target, key) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => (asked.push(`${String(key)}(${args.join(', ')})`), (value as (...a: unknown[]) => unknown).apply(target, args));
      },
    }),
  };
  const store = fx.store.availability;

  // A view that read no client's checks asks the store for a host's.
  const plain = readView(counted);
  t.same(await plain.availability.checksOfAgent(pc1), await store.checksOfAgent(pc1));
  t.same(asked, [`checksOfAgent(${pc1})`], 'one statement for the host');

  asked.length = 0;
  const view = readView(counted);
  t.equal((await view.availability.checksOfClient(acme)).length, 3);
  t.same(asked, [`checksOfClient(${acme})`]);
  asked.length = 0;
  t.same(await view.availability.checksOfAgent(pc1), await store.checksOfAgent(pc1), "pc-1's checks, as the store gives them");
  t.same(await view.availability.checksOfAgent(pc2), await store.checksOfAgent(pc2), "pc-2's");
  t.same(await view.availability.check(pc1, 'down'), await store.check(pc1, 'down'), 'one check, as the store gives it');
  t.equal(await view.availability.check(pc1, 'nope'), undefined, 'a check the host does not have: none');
  t.same(asked, [], 'none of it asked of the store');

  t.same(await view.availability.checksOfAgent(stranger), await store.checksOfAgent(stranger), "another client's host: the store's answer");
  t.same(await view.availability.checksOfAgent(bare), [], 'a host without checks: none');
  t.same(await view.availability.check(stranger, 'web'), await store.check(stranger, 'web'));
  t.same(asked, [`checksOfAgent(${stranger})`, `checksOfAgent(${bare})`, `check(${stranger}, web)`], 'those three asked of the store');
});
