import { MigrationInterface, QueryRunner, Table, TableForeignKey } from 'typeorm';

/**
 * Organising sessions (issue 13): `pinned` and `archived` flags (0/1 integers: one SqlValue in both
 * dialects), a `version` that every organising change bumps (the ETag), and tags as a relation, so a
 * tag filter is an index lookup and later bulk actions and shared tags need no rewrite. Columns come
 * by plain `ALTER TABLE … ADD COLUMN` (TypeORM's `addColumn` rebuilds the table on SQLite).
 */
export class SessionOrganise1765400000000 implements MigrationInterface {
  name = 'SessionOrganise1765400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const column of ['pinned smallint NOT NULL DEFAULT 0', 'archived smallint NOT NULL DEFAULT 0', 'version integer NOT NULL DEFAULT 0']) {
      await queryRunner.query(`ALTER TABLE chat_sessions ADD COLUMN ${column}`);
    }
    // The default listing (archived hidden, pinned first, then most recent) reads these in order, with and without an owner.
    // Plain SQL: TypeORM's createIndex reads the table's metadata, which trips on the full-text generated column on PostgreSQL.
    await queryRunner.query('CREATE INDEX idx_chat_sessions_listing ON chat_sessions (archived, pinned, last_activity, session_id)');
    await queryRunner.query('CREATE INDEX idx_chat_sessions_owner_listing ON chat_sessions (owner_id, archived, pinned, last_activity, session_id)');
    await queryRunner.createTable(
      new Table({
        name: 'session_tags',
        columns: [
          { name: 'session_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'tag', type: 'varchar', length: '32', isPrimary: true },
        ],
        foreignKeys: [
          new TableForeignKey({ columnNames: ['session_id'], referencedTableName: 'chat_sessions', referencedColumnNames: ['session_id'], onDelete: 'CASCADE' }),
        ],
        indices: [{ name: 'idx_session_tags_tag', columnNames: ['tag', 'session_id'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('session_tags');
    await queryRunner.query('DROP INDEX idx_chat_sessions_owner_listing');
    await queryRunner.query('DROP INDEX idx_chat_sessions_listing');
    // Plain DROP COLUMN in both dialects: TypeORM's dropColumn rebuilds the table on SQLite, which drops its full-text triggers.
    for (const column of ['version', 'archived', 'pinned']) await queryRunner.query(`ALTER TABLE chat_sessions DROP COLUMN ${column}`);
  }
}
