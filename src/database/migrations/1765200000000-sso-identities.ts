import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * Single sign-on: an account is linked to its provider's (issuer, subject), the pair OpenID Connect
 * says is unique. `users.oidc_subject` exists since the accounts migration; the issuer is added with a
 * plain `ALTER TABLE … ADD COLUMN` (the same in both dialects; TypeORM's `addColumn` rebuilds the
 * table on SQLite), and the pair gets the index that each sign-in looks up.
 */
export class SsoIdentities1765200000000 implements MigrationInterface {
  name = 'SsoIdentities1765200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE users ADD COLUMN oidc_issuer varchar(255)');
    await queryRunner.createIndex('users', new TableIndex({ name: 'idx_users_oidc_identity', columnNames: ['oidc_issuer', 'oidc_subject'], isUnique: true }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('users', 'idx_users_oidc_identity');
    await queryRunner.dropColumn('users', 'oidc_issuer');
  }
}
