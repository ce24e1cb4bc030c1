import { setFlagsFromString } from 'node:v8';

/**
 * V8 settings the agent gives itself when it starts, so the bundle, the standalone executable, the Docker agent and a
 * hand-started `run` get them alike (node flags in a service unit would reach only one of them).
 *
 * `--liftoff-only`: undici parses HTTP with llhttp compiled to WebAssembly. V8 compiles a module first with its
 * baseline compiler (Liftoff) and, once its functions are hot, again with its optimizing one (TurboFan); that second
 * compile of llhttp takes ~35 MiB of compiler memory for a moment (the 50-check agent's RSS peaked at 104 MiB about a
 * second after its first checks, 71 MiB before) and leaves several MiB resident that glibc does not give back.
 * The price is parsing speed: ~8 µs more CPU per HTTP request on Liftoff's code (62 → 70 µs per keep-alive GET in a
 * bare undici loop on the development machine, docs/performance.md). The flag is read when a module is compiled,
 * which undici does on its first connection, so setting it here, before any check runs, takes effect.
 *
 * `--semi-space-growth-factor=1`: V8 gives short-lived objects a young generation that starts at 1 MiB per
 * semi-space and doubles under a high allocation rate up to 16 MiB (two of them resident, so up to 32 MiB); an agent
 * with 1,000 HTTP checks at 20 s reached that within its first round and RSS stayed ~30 MiB higher (105–114 MiB
 * instead of 72–80). With a factor of 1 it never grows: more, equally cheap scavenges (their survivors are few), about
 * 1 ms more GC a second at 50 checks a second (~0.02 ms per check, docs/performance.md). `--max-semi-space-size` would
 * cap it at another size, but V8 reads that one only when the heap is set up, before any script runs; the growth
 * factor is read every time the young generation would grow.
 */
export const ENGINE_FLAGS = ['--liftoff-only', '--semi-space-growth-factor=1'] as const;

let tuned = false;

/** Applies ENGINE_FLAGS once per process; call it before the first HTTP request. */
export function tuneEngine(): void {
  if (tuned) return;
  tuned = true;
  for (const flag of ENGINE_FLAGS) setFlagsFromString(flag);
}
