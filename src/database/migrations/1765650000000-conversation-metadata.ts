import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The metadata of a session used as an OpenAI conversation (issue 15): up to 16 string pairs, kept
 * as a JSON object in a nullable text column (null: none set). A column rather than a table, so it
 * goes with its session without another delete. Plain `ALTER TABLE` (see SessionOrganise).
 */
export class ConversationMetadata1765650000000 implements MigrationInterface {
  name = 'ConversationMetadata1765650000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE chat_sessions ADD COLUMN metadata text');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE chat_sessions DROP COLUMN metadata');
  }
}
