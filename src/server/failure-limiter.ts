// Failed sign-ins, counted per access key and per source address in a sliding window: past the
// limit, requests from that key or address are refused (429) until the window has passed, so a
// secret cannot be guessed at network speed. Per process: each replica limits on its own, which
// bounds a guesser to replicas × limit — enough, and no state for replicas to share.

export interface FailureLimiterOptions {
  /** Failures allowed per key and per address in one window (default 10). */
  limit?: number;
  /** Window length in ms (default 60 s). */
  windowMs?: number;
  now?: () => number;
}

export class FailureLimiter {
  private readonly failures = new Map<string, number[]>();
  private readonly limit: number;
  private readonly windowMs: number;
  private readonly now: () => number;

  constructor(opts: FailureLimiterOptions = {}) {
    this.limit = opts.limit ?? 10;
    this.windowMs = opts.windowMs ?? 60_000;
    this.now = opts.now ?? Date.now;
  }

  /** Seconds to wait before `keys` may try again; 0 when none is over the limit. */
  retryAfter(keys: readonly string[]): number {
    const now = this.now();
    let wait = 0;
    for (const key of keys) {
      const times = this.recent(key, now);
      if (times.length >= this.limit) {
        const oldest = times[0] as number;
        wait = Math.max(wait, Math.ceil((oldest + this.windowMs - now) / 1000));
      }
    }
    return wait;
  }

  record(keys: readonly string[]): void {
    const now = this.now();
    for (const key of keys) {
      const times = this.recent(key, now);
      times.push(now);
      this.failures.set(key, times);
    }
    if (this.failures.size > 10_000) this.prune(now);
  }

  private recent(key: string, now: number): number[] {
    return (this.failures.get(key) ?? []).filter((t) => t > now - this.windowMs);
  }

  private prune(now: number): void {
    for (const [key, times] of this.failures) {
      if (!times.some((t) => t > now - this.windowMs)) this.failures.delete(key);
    }
  }
}
