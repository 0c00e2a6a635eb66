import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';

/**
 * Accounts, API keys, and an owner for every session.
 *
 * `chat_sessions.owner_id` has no foreign key: a cascade from `users` would delete sessions and
 * messages behind the activity counters' back, so deleting a user removes their sessions through
 * the session store instead. It is added with a plain `ALTER TABLE … ADD COLUMN` (the same in both
 * dialects): TypeORM's `addColumn` rebuilds the whole table on SQLite. NULL means "no owner yet":
 * sessions made without accounts, adopted by the first admin.
 */
export class Accounts1765000000000 implements MigrationInterface {
  name = 'Accounts1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const time = queryRunner.connection.driver.options.type === 'postgres' ? 'timestamptz' : 'datetime';
    await queryRunner.createTable(
      new Table({
        name: 'users',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'username', type: 'varchar', length: '64', isNullable: false, isUnique: true, comment: 'Lower-cased' },
          { name: 'password_hash', type: 'text', isNullable: true, comment: 'scrypt$N$r$p$salt$hash; null for SSO-only accounts' },
          { name: 'role', type: 'varchar', length: '5', isNullable: false, default: "'user'" },
          { name: 'created_at', type: time, isNullable: false },
          { name: 'oidc_subject', type: 'varchar', length: '255', isNullable: true, isUnique: true },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'api_keys',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'user_id', type: 'varchar', length: '36', isNullable: false },
          { name: 'name', type: 'varchar', length: '100', isNullable: false },
          { name: 'key_hash', type: 'varchar', length: '64', isNullable: false, isUnique: true, comment: 'SHA-256 of the key, hex' },
          { name: 'prefix', type: 'varchar', length: '12', isNullable: false },
          { name: 'created_at', type: time, isNullable: false },
          { name: 'last_used_at', type: time, isNullable: true },
        ],
        foreignKeys: [new TableForeignKey({ columnNames: ['user_id'], referencedTableName: 'users', referencedColumnNames: ['id'], onDelete: 'CASCADE' })],
        indices: [{ name: 'idx_api_keys_user_id', columnNames: ['user_id', 'created_at'] }],
      }),
    );
    await queryRunner.query('ALTER TABLE chat_sessions ADD COLUMN owner_id varchar(36)');
    // Every listing of one user's sessions (most recent first, paged by keyset or offset) reads this index.
    await queryRunner.createIndex('chat_sessions', new TableIndex({ name: 'idx_chat_sessions_owner', columnNames: ['owner_id', 'last_activity', 'session_id'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('chat_sessions', 'idx_chat_sessions_owner');
    await queryRunner.dropColumn('chat_sessions', 'owner_id');
    await queryRunner.dropTable('api_keys');
    await queryRunner.dropTable('users');
  }
}
