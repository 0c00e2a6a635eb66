import { MigrationInterface, QueryRunner, Table, TableForeignKey } from 'typeorm';

/** A session's own settings (system prompt, model, temperature, memory strategy) and its running summary (issue 11). */
export class SessionSettings1765100000000 implements MigrationInterface {
  name = 'SessionSettings1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const time = queryRunner.connection.driver.options.type === 'postgres' ? 'timestamptz' : 'datetime';
    await queryRunner.createTable(
      new Table({
        name: 'session_settings',
        columns: [
          { name: 'session_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'system_prompt', type: 'text', isNullable: true },
          { name: 'model', type: 'varchar', length: '200', isNullable: true },
          { name: 'temperature', type: 'real', isNullable: true },
          { name: 'memory_strategy', type: 'varchar', length: '16', isNullable: true },
          { name: 'max_history', type: 'integer', isNullable: true },
          { name: 'max_tokens', type: 'integer', isNullable: true },
          { name: 'updated_at', type: time, isNullable: false },
        ],
        foreignKeys: [
          new TableForeignKey({ columnNames: ['session_id'], referencedTableName: 'chat_sessions', referencedColumnNames: ['session_id'], onDelete: 'CASCADE' }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'session_summaries',
        columns: [
          { name: 'session_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'summary', type: 'text', isNullable: false },
          { name: 'covers_until_message_id', type: 'integer', isNullable: false },
          { name: 'updated_at', type: time, isNullable: false },
        ],
        foreignKeys: [
          new TableForeignKey({ columnNames: ['session_id'], referencedTableName: 'chat_sessions', referencedColumnNames: ['session_id'], onDelete: 'CASCADE' }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('session_summaries');
    await queryRunner.dropTable('session_settings');
  }
}
