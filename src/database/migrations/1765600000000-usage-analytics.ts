import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/**
 * Usage analytics (issue 14), kept at write time so that no statistic scans the messages:
 *
 * - `chat_messages.sentiment`: the score of a human message (null for AI messages and for those
 *   written before this migration: scoring them would run the lexicon over every stored message).
 * - `usage_hourly`: per UTC hour and counter shard, turns, new sessions, active users, model calls
 *   with their latency sum, model errors, tokens in and out, and the sum and count of sentiment.
 *   `active_users_day` is kept only in the row of a day's first hour.
 * - `usage_latency`: per hour and shard, a log-scale histogram of model latency (see latency-buckets.ts).
 * - `usage_active_users`: which users were active in which hour (span 1) and UTC day (span 24),
 *   so an active user is counted once per bucket.
 * - `session_last_activity`: how many sessions have their last activity in each hour, moved when a
 *   session's activity moves: `recent_sessions_24h` is a sum of 24 buckets and one hour's range.
 *
 * The backfill counts what the stored rows show (history of deleted sessions is gone already).
 */
export class UsageAnalytics1765600000000 implements MigrationInterface {
  name = 'UsageAnalytics1765600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.driver.options.type === 'postgres';
    const float = postgres ? 'double precision' : 'real';
    const big = postgres ? 'bigint' : 'integer';
    // Plain SQL: TypeORM rebuilds a SQLite table to add a column, which drops the full-text triggers,
    // and trips on the generated full-text column on PostgreSQL.
    await queryRunner.query(`ALTER TABLE chat_messages ADD COLUMN sentiment ${float} NULL`);
    const counter = (name: string, type = 'integer') => ({ name, type, isNullable: false, default: 0 });
    await queryRunner.createTable(
      new Table({
        name: 'usage_hourly',
        columns: [
          { name: 'hour', type: 'integer', isPrimary: true, comment: 'Hours since the Unix epoch (UTC)' },
          { name: 'shard', type: 'integer', isPrimary: true, default: 0 },
          counter('turns'),
          counter('new_sessions'),
          counter('active_users'),
          counter('active_users_day'),
          counter('model_calls'),
          counter('model_errors'),
          counter('latency_ms_sum', float),
          counter('tokens_in', big),
          counter('tokens_out', big),
          counter('sentiment_sum', float),
          counter('sentiment_count'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'usage_latency',
        columns: [
          { name: 'hour', type: 'integer', isPrimary: true },
          { name: 'shard', type: 'integer', isPrimary: true, default: 0 },
          { name: 'bucket', type: 'integer', isPrimary: true },
          counter('calls'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'usage_active_users',
        columns: [
          { name: 'span', type: 'integer', isPrimary: true, comment: '1: an hour, 24: a UTC day' },
          { name: 'period_start', type: 'integer', isPrimary: true, comment: 'The first hour of the period, hours since the epoch' },
          { name: 'user_key', type: 'varchar', length: '64', isPrimary: true, comment: "The owner's id; empty without accounts" },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'session_last_activity',
        columns: [
          { name: 'hour', type: 'integer', isPrimary: true },
          { name: 'shard', type: 'integer', isPrimary: true, default: 0 },
          counter('sessions'),
        ],
      }),
    );
    await backfill(queryRunner, postgres);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('session_last_activity');
    await queryRunner.dropTable('usage_active_users');
    await queryRunner.dropTable('usage_latency');
    await queryRunner.dropTable('usage_hourly');
    await queryRunner.query('ALTER TABLE chat_messages DROP COLUMN sentiment');
  }
}

async function backfill(queryRunner: QueryRunner, postgres: boolean): Promise<void> {
  const hour = (column: string) => (postgres ? `CAST(FLOOR(EXTRACT(EPOCH FROM ${column}) / 3600) AS INTEGER)` : `CAST(strftime('%s', ${column}) AS INTEGER) / 3600`);
  await queryRunner.query(
    `INSERT INTO session_last_activity (hour, shard, sessions) SELECT ${hour('last_activity')}, 0, COUNT(*) FROM chat_sessions GROUP BY ${hour('last_activity')}`,
  );
  const humanHours = `SELECT DISTINCT ${hour('m."timestamp"')} AS h, COALESCE(s.owner_id, '') AS u
    FROM chat_messages m JOIN chat_sessions s ON s.session_id = m.session_id WHERE m.sender = 'Human'`;
  await queryRunner.query(`INSERT INTO usage_active_users (span, period_start, user_key) SELECT 1, h, u FROM (${humanHours}) AS x`);
  await queryRunner.query(`INSERT INTO usage_active_users (span, period_start, user_key) SELECT DISTINCT 24, h - h % 24, u FROM (${humanHours}) AS x`);
  await queryRunner.query(
    `INSERT INTO usage_hourly (hour, shard, turns, new_sessions, active_users, active_users_day)
     SELECT hour, 0, SUM(t), SUM(s), SUM(a), SUM(d) FROM (
       SELECT ${hour('"timestamp"')} AS hour, 1 AS t, 0 AS s, 0 AS a, 0 AS d FROM chat_messages WHERE sender = 'Human'
       UNION ALL SELECT ${hour('created_at')}, 0, 1, 0, 0 FROM chat_sessions
       UNION ALL SELECT period_start, 0, 0, CASE WHEN span = 1 THEN 1 ELSE 0 END, CASE WHEN span = 24 THEN 1 ELSE 0 END FROM usage_active_users
     ) AS rows_by_hour GROUP BY hour`,
  );
}
