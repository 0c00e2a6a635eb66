import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';

/** Sessions, their messages, and the activity counters that keep statistics free of scans. */
export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const time = queryRunner.connection.driver.options.type === 'postgres' ? 'timestamptz' : 'datetime';
    await queryRunner.createTable(
      new Table({
        name: 'chat_sessions',
        columns: [
          { name: 'session_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'chat_name', type: 'text', isNullable: false },
          { name: 'created_at', type: time, isNullable: false },
          { name: 'last_activity', type: time, isNullable: false },
          { name: 'message_count', type: 'integer', isNullable: false, default: 0 },
        ],
        indices: [{ name: 'idx_chat_sessions_last_activity', columnNames: ['last_activity', 'session_id'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'chat_messages',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'session_id', type: 'varchar', length: '36', isNullable: false },
          { name: 'sender', type: 'varchar', length: '5', isNullable: false },
          { name: 'content', type: 'text', isNullable: false },
          { name: 'timestamp', type: time, isNullable: false },
        ],
        foreignKeys: [
          new TableForeignKey({
            columnNames: ['session_id'],
            referencedTableName: 'chat_sessions',
            referencedColumnNames: ['session_id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );
    await queryRunner.createIndex('chat_messages', new TableIndex({ name: 'idx_chat_messages_session_id', columnNames: ['session_id', 'id'] }));
    await queryRunner.createTable(
      new Table({
        name: 'chat_activity',
        columns: [
          { name: 'hour', type: 'integer', isPrimary: true, comment: 'Hours since the Unix epoch (UTC)' },
          { name: 'sessions', type: 'integer', isNullable: false, default: 0 },
          { name: 'messages', type: 'integer', isNullable: false, default: 0 },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'chat_totals',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true },
          { name: 'sessions', type: 'integer', isNullable: false, default: 0 },
          { name: 'messages', type: 'integer', isNullable: false, default: 0 },
        ],
      }),
    );
    await queryRunner.query('INSERT INTO chat_totals (id, sessions, messages) VALUES (1, 0, 0)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('chat_totals');
    await queryRunner.dropTable('chat_activity');
    await queryRunner.dropTable('chat_messages');
    await queryRunner.dropTable('chat_sessions');
  }
}
