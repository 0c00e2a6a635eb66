import { RecentFailures } from '../domain/recent-failures';

/** Bounds the memory a flood of invented usernames can take: the oldest key goes first. */
const MAX_TRACKED = 10_000;

/** One instance: failures in a Map of this process. */
export class InProcessRecentFailures extends RecentFailures {
  private readonly failures = new Map<string, number[]>();

  async record(keys: readonly string[], at: number, windowMs: number, keep: number): Promise<void> {
    for (const key of keys) {
      if (!this.failures.has(key) && this.failures.size >= MAX_TRACKED) this.failures.delete(this.failures.keys().next().value!);
      this.failures.set(key, [...this.recent(key, at, windowMs), at].slice(-keep));
    }
  }

  async since(key: string, at: number, windowMs: number): Promise<number[]> {
    return this.recent(key, at, windowMs);
  }

  async forget(key: string): Promise<void> {
    this.failures.delete(key);
  }

  private recent(key: string, at: number, windowMs: number): number[] {
    return (this.failures.get(key) ?? []).filter((t) => t > at - windowMs);
  }
}
