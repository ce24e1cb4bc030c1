/**
 * Failed logins per username: after LOGIN_FAILURES_PER_USERNAME failures within a minute that username is refused
 * (even with the right password) until the minute since its first failure is over. Keyed by username, not address,
 * so guessing one admin's password from many addresses is slowed, and a lockout of one name leaves the others alone.
 * In memory: a restart forgets, which costs an attacker a restart they cannot cause.
 */
export const LOGIN_FAILURES_PER_USERNAME = 10;
const WINDOW_MS = 60_000;
/** Bounds memory under a spray of made-up usernames; the oldest windows go first. */
const MAX_TRACKED = 10_000;

export class LoginThrottle {
  private readonly failures = new Map<string, { since: number; count: number }>();

  constructor(private readonly limit = LOGIN_FAILURES_PER_USERNAME, private readonly windowMs = WINDOW_MS) {}

  isLocked(username: string, now: number): boolean {
    const entry = this.current(username, now);
    return entry !== undefined && entry.count >= this.limit;
  }

  recordFailure(username: string, now: number): void {
    const entry = this.current(username, now);
    if (entry) entry.count++;
    else {
      if (this.failures.size >= MAX_TRACKED) this.failures.delete(this.failures.keys().next().value!);
      this.failures.set(username, { since: now, count: 1 });
    }
  }

  recordSuccess(username: string): void {
    this.failures.delete(username);
  }

  private current(username: string, now: number) {
    const entry = this.failures.get(username);
    if (entry && now - entry.since >= this.windowMs) {
      this.failures.delete(username);
      return undefined;
    }
    return entry;
  }
}
