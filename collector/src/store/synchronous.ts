/**
 * The repositories are asynchronous (a network database sits behind them on the scale path); SQLite's driver is
 * synchronous. `Synchronous<R>` is a repository's interface with every method returning its value directly: what a
 * store/sqlite class implements, made asynchronous by store/sqlite/async-facade.ts.
 */
export type Synchronous<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => Promise<infer R> ? (...args: A) => R : T[K];
};
