/**
 * Failures per key in a sliding window (sign-in failures per username and per address), shared by
 * every instance when they coordinate through Redis. Every method answers within a bounded time.
 */
export abstract class RecentFailures {
  /** Notes a failure of each key at `at` (ms); a key keeps its newest `keep` failures for `windowMs`. */
  abstract record(keys: readonly string[], at: number, windowMs: number, keep: number): Promise<void>;

  /** The times (ms) of `key`'s failures later than `at - windowMs`, oldest first. */
  abstract since(key: string, at: number, windowMs: number): Promise<number[]>;

  abstract forget(key: string): Promise<void>;
}
