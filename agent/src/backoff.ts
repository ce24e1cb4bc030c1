/** Reconnect delay: exponential from 1 s to 60 s with full jitter, so 1,000 agents do not return in step. */
export function backoffDelay(attempt: number, random: () => number = Math.random, minMs = 1_000, maxMs = 60_000): number {
  const ceiling = Math.min(maxMs, minMs * 2 ** Math.min(attempt, 16));
  return Math.round(minMs / 2 + random() * (ceiling - minMs / 2));
}
