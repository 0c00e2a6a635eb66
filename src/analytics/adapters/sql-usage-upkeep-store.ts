import { Injectable } from '@nestjs/common';
import { fromDbTime, hourOf } from '../../database/db-time';
import { Sql, SqlRunner } from '../../database/sql';
import { MessageScore, UnscoredMessage, UsageUpkeepStore } from '../domain/usage-upkeep-store';

/** The spans of `usage_active_users`, in hours: an hour, a UTC day. */
const SPANS = [1, 24] as const;

/** Backfilled sentiment goes to one shard: the series sum the shards, and turns rarely write old hours. */
const BACKFILL_SHARD = 0;

/**
 * A batch of marks, deleted by their row's physical id: a row value `IN (…)` let PostgreSQL read every
 * mark of the span to match the batch against, and neither dialect has DELETE … LIMIT by default.
 * The marks are never updated, so a row id found by the subquery still names the same mark.
 */
const DELETE_MARKS: Readonly<Record<Sql['dialect'], string>> = {
  postgres: `DELETE FROM usage_active_users WHERE ctid = ANY (ARRAY(
    SELECT ctid FROM usage_active_users WHERE span = ? AND period_start <= ? LIMIT ?))`,
  sqlite: `DELETE FROM usage_active_users WHERE rowid IN (
    SELECT rowid FROM usage_active_users WHERE span = ? AND period_start <= ? LIMIT ?)`,
};

/** Literals, not parameters, so that both planners can match the partial index idx_chat_messages_unscored. */
export const UNSCORED_MESSAGES = `SELECT id, content FROM chat_messages WHERE sender = 'Human' AND sentiment IS NULL ORDER BY id LIMIT ?`;

@Injectable()
export class SqlUsageUpkeepStore extends UsageUpkeepStore {
  constructor(private readonly sql: Sql) {
    super();
  }

  async pruneActiveUserMarks(endedBy: Date, limit: number): Promise<number> {
    const hour = hourOf(endedBy);
    let deleted = 0;
    for (const span of SPANS) {
      if (deleted >= limit) break;
      // A period [start, start + span) has ended by `endedBy` when start + span <= its hour.
      deleted += await this.sql.run(DELETE_MARKS[this.sql.dialect], [span, hour - span, limit - deleted]);
    }
    return deleted;
  }

  async unscoredMessages(limit: number): Promise<UnscoredMessage[]> {
    const rows = await this.sql.all<{ id: number | string; content: string }>(UNSCORED_MESSAGES, [limit]);
    return rows.map((row) => ({ id: Number(row.id), content: row.content }));
  }

  storeScores(scores: readonly MessageScore[]): Promise<number> {
    return this.sql.transaction(async (tx) => {
      const hours = new Map<number, { sum: number; count: number }>();
      // By id, so that concurrent runs lock the same messages in the same order.
      for (const { id, score } of [...scores].sort((a, b) => a.id - b.id)) {
        // Still unscored: a concurrent run (or a retry) that got here first has counted this message.
        const row = await tx.get<{ timestamp: string | Date }>('UPDATE chat_messages SET sentiment = ? WHERE id = ? AND sentiment IS NULL RETURNING "timestamp"', [score, id]);
        if (!row) continue;
        const hour = hourOf(fromDbTime(row.timestamp));
        const bucket = hours.get(hour) ?? { sum: 0, count: 0 };
        hours.set(hour, { sum: bucket.sum + score, count: bucket.count + 1 });
      }
      await addSentiment(tx, hours);
      return [...hours.values()].reduce((stored, { count }) => stored + count, 0);
    });
  }
}

/** In hour order, as the turn writes lock usage rows. */
async function addSentiment(tx: SqlRunner, hours: ReadonlyMap<number, { sum: number; count: number }>): Promise<void> {
  for (const [hour, { sum, count }] of [...hours].sort(([a], [b]) => a - b)) {
    await tx.run(
      `INSERT INTO usage_hourly (hour, shard, sentiment_sum, sentiment_count) VALUES (?, ?, ?, ?)
       ON CONFLICT (hour, shard) DO UPDATE SET sentiment_sum = usage_hourly.sentiment_sum + excluded.sentiment_sum,
         sentiment_count = usage_hourly.sentiment_count + excluded.sentiment_count`,
      [hour, BACKFILL_SHARD, sum, count],
    );
  }
}
