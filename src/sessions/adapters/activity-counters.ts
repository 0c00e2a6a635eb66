import { SqlRunner } from '../../database/sql';
import { hourOf } from '../../database/db-time';

/**
 * Keeps `chat_activity` (per UTC hour) and `chat_totals` equal to what the tables hold, inside the
 * caller's transaction, so statistics are read from counters instead of scans. Both are split into
 * shards summed on read: a transaction writes one shard, so concurrent ones do not queue behind a
 * single row's lock (on PostgreSQL; SQLite has one writer and one shard).
 */
export class ActivityCounters {
  private readonly byHour = new Map<number, { sessions: number; messages: number }>();
  private sessions = 0;
  private messages = 0;

  sessionCreated(at: Date, delta = 1): this {
    this.bucket(at).sessions += delta;
    this.sessions += delta;
    return this;
  }

  messageWritten(at: Date, delta = 1): this {
    this.bucket(at).messages += delta;
    this.messages += delta;
    return this;
  }

  /** Adds `other`'s changes to these. */
  absorb(other: ActivityCounters): this {
    for (const [hour, change] of other.byHour) {
      const bucket = this.bucketAt(hour);
      bucket.sessions += change.sessions;
      bucket.messages += change.messages;
    }
    this.sessions += other.sessions;
    this.messages += other.messages;
    return this;
  }

  /** Writes the changes into shard `shard` (0 ≤ shard < the dialect's shard count). */
  async apply(tx: SqlRunner, shard: number): Promise<void> {
    // Hours in order, then the totals: every writer locks counter rows in the same order (no deadlocks).
    for (const [hour, change] of [...this.byHour].sort(([a], [b]) => a - b)) {
      if (change.sessions === 0 && change.messages === 0) continue;
      await tx.run(
        `INSERT INTO chat_activity (hour, shard, sessions, messages) VALUES (?, ?, ?, ?)
         ON CONFLICT (hour, shard) DO UPDATE SET sessions = chat_activity.sessions + excluded.sessions,
           messages = chat_activity.messages + excluded.messages`,
        [hour, shard, change.sessions, change.messages],
      );
    }
    if (this.sessions !== 0 || this.messages !== 0) {
      // chat_totals' id is its shard, counted from 1 (row 1 is the one the first migration made).
      await tx.run(
        `INSERT INTO chat_totals (id, sessions, messages) VALUES (?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET sessions = chat_totals.sessions + excluded.sessions, messages = chat_totals.messages + excluded.messages`,
        [shard + 1, this.sessions, this.messages],
      );
    }
  }

  private bucket(at: Date): { sessions: number; messages: number } {
    return this.bucketAt(hourOf(at));
  }

  private bucketAt(hour: number): { sessions: number; messages: number } {
    let bucket = this.byHour.get(hour);
    if (!bucket) {
      bucket = { sessions: 0, messages: 0 };
      this.byHour.set(hour, bucket);
    }
    return bucket;
  }
}

/** How many counter shards a dialect writes: PostgreSQL commits in parallel, SQLite has one writer. */
export function counterShards(dialect: 'sqlite' | 'postgres'): number {
  return dialect === 'postgres' ? 16 : 1;
}

/** The shard one transaction (or one batch) writes its counter changes into. */
export function randomShard(dialect: 'sqlite' | 'postgres'): number {
  const shards = counterShards(dialect);
  return shards === 1 ? 0 : Math.floor(Math.random() * shards);
}
