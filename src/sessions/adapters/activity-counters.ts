import { SqlRunner } from '../../database/sql';
import { hourOf } from '../../database/db-time';

/**
 * Keeps `chat_activity` (per UTC hour) and `chat_totals` equal to what the tables hold, inside the
 * caller's transaction, so statistics are read from counters instead of scans.
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

  async apply(tx: SqlRunner): Promise<void> {
    for (const [hour, change] of this.byHour) {
      if (change.sessions === 0 && change.messages === 0) continue;
      await tx.run(
        `INSERT INTO chat_activity (hour, sessions, messages) VALUES (?, ?, ?)
         ON CONFLICT (hour) DO UPDATE SET sessions = chat_activity.sessions + excluded.sessions,
           messages = chat_activity.messages + excluded.messages`,
        [hour, change.sessions, change.messages],
      );
    }
    if (this.sessions !== 0 || this.messages !== 0) {
      await tx.run('UPDATE chat_totals SET sessions = sessions + ?, messages = messages + ? WHERE id = 1', [this.sessions, this.messages]);
    }
  }

  private bucket(at: Date): { sessions: number; messages: number } {
    const hour = hourOf(at);
    let bucket = this.byHour.get(hour);
    if (!bucket) {
      bucket = { sessions: 0, messages: 0 };
      this.byHour.set(hour, bucket);
    }
    return bucket;
  }
}
