import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';

/**
 * Users' session templates and shared snapshots of conversations (issue 13).
 *
 * Templates: the built-in ones live in code. A template goes with its
 * owner (ON DELETE CASCADE: templates have no counters to keep). A null owner: made with
 * AUTH_MODE=off, where everyone shares them.
 *
 * Shares: a copy of the messages as JSON (a snapshot that later turns and clears leave alone),
 * deleted with their session.
 */
export class TemplatesAndShares1765500000000 implements MigrationInterface {
  name = 'TemplatesAndShares1765500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const time = queryRunner.connection.driver.options.type === 'postgres' ? 'timestamptz' : 'datetime';
    await queryRunner.createTable(
      new Table({
        name: 'templates',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'owner_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'name', type: 'varchar', length: '100', isNullable: false },
          { name: 'category', type: 'varchar', length: '50', isNullable: false },
          { name: 'system_prompt', type: 'text', isNullable: false },
          { name: 'starter_prompts', type: 'text', isNullable: false, comment: 'A JSON array of strings' },
          { name: 'model', type: 'varchar', length: '200', isNullable: true },
          { name: 'temperature', type: 'real', isNullable: true },
          { name: 'memory_strategy', type: 'varchar', length: '16', isNullable: true },
          { name: 'max_history', type: 'integer', isNullable: true },
          { name: 'max_tokens', type: 'integer', isNullable: true },
          { name: 'created_at', type: time, isNullable: false },
          { name: 'updated_at', type: time, isNullable: false },
        ],
        foreignKeys: [new TableForeignKey({ columnNames: ['owner_id'], referencedTableName: 'users', referencedColumnNames: ['id'], onDelete: 'CASCADE' })],
        indices: [new TableIndex({ name: 'idx_templates_owner', columnNames: ['owner_id', 'category', 'name'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'shared_sessions',
        columns: [
          { name: 'share_id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'session_id', type: 'varchar', length: '36', isNullable: false },
          { name: 'chat_name', type: 'text', isNullable: false },
          { name: 'messages', type: 'text', isNullable: false, comment: 'A JSON array of {sender, content, timestamp}' },
          { name: 'created_at', type: time, isNullable: false },
        ],
        foreignKeys: [
          new TableForeignKey({ columnNames: ['session_id'], referencedTableName: 'chat_sessions', referencedColumnNames: ['session_id'], onDelete: 'CASCADE' }),
        ],
        indices: [new TableIndex({ name: 'idx_shared_sessions_session', columnNames: ['session_id'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('shared_sessions');
    await queryRunner.dropTable('templates');
  }
}
