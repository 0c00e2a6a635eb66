import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';

/**
 * Users' session templates (issue 13); the built-in ones live in code. A template goes with its
 * owner (ON DELETE CASCADE: templates have no counters to keep). A null owner: made with
 * AUTH_MODE=off, where everyone shares them.
 */
export class Templates1765500000000 implements MigrationInterface {
  name = 'Templates1765500000000';

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
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('templates');
  }
}
