/**
 * One package-manager call at a time in this process: apt, dnf and zypper take locks or load
 * large caches, and two checks (or a check and its retry) running them at once only slow both.
 */
let tail: Promise<unknown> = Promise.resolve();

export function withPackageManagerLock<T>(task: () => Promise<T>): Promise<T> {
  const run = tail.then(task, task);
  tail = run.catch(() => undefined);
  return run;
}
