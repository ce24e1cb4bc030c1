import type { Synchronous } from '../synchronous.ts';
import type { ConnectionGate } from './connection-gate.ts';

/** Every method of `target`: its class's (up the prototype chain) and those assigned in its constructor. */
function methodNames(target: object): string[] {
  const names = new Set<string>();
  for (const [key, value] of Object.entries(target)) if (typeof value === 'function') names.add(key);
  for (let proto = Object.getPrototypeOf(target); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const key of Object.getOwnPropertyNames(proto)) {
      if (key !== 'constructor' && typeof Object.getOwnPropertyDescriptor(proto, key)?.value === 'function') names.add(key);
    }
  }
  return [...names];
}

/**
 * The asynchronous repository over a synchronous SQLite one: each method runs the SQLite call at once, in the
 * caller's turn, and returns its value (or its error) as a settled promise — unless another context's asynchronous
 * transaction holds the connection, then once it has ended (connection-gate.ts). So a caller that awaits sees
 * what it saw before, and a caller that awaits a network database later is already written for it.
 */
export function asyncFacade<T extends object>(sync: Synchronous<T>, gate: ConnectionGate): T {
  const facade: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  const target = sync as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const name of methodNames(sync)) {
    const method = target[name]!;
    facade[name] = (...args) => gate.run(() => method.apply(sync, args));
  }
  return facade as unknown as T;
}
