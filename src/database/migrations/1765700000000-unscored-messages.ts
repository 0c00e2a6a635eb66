import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The human messages still without a sentiment (written before UsageAnalytics, or added outside a
 * turn), for the sentiment backfill (UsageUpkeepService) to find without scanning chat_messages.
 * Partial, so it holds only what is left to score and costs the turns, which store their score,
 * nothing. The queries must repeat its predicate with literals for either dialect to use it.
 * Not CONCURRENTLY on PostgreSQL (migrations run in a transaction): writes to chat_messages wait
 * while it is built, one read of the table at start-up.
 */
export class UnscoredMessages1765700000000 implements MigrationInterface {
  name = 'UnscoredMessages1765700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX idx_chat_messages_unscored ON chat_messages (id) WHERE sender = 'Human' AND sentiment IS NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX idx_chat_messages_unscored');
  }
}
