import { Injectable } from '@nestjs/common';
import { toDbTime } from '../../database/db-time';
import { Sql, SqlRunner } from '../../database/sql';
import { Role, User, UserRecord } from '../domain/user';
import { NewUser, SsoSubject, UserStore } from '../domain/user-store';
import { toUser, toUserRecord, USER_COLUMNS, UserRow } from './user-rows';

/** Accounts in portable SQL (SQLite or PostgreSQL). */
@Injectable()
export class SqlUserStore extends UserStore {
  constructor(private readonly sql: Sql) {
    super();
  }

  create({ id, username, passwordHash, identity, at }: NewUser): Promise<User | null> {
    return this.sql.transaction(async (tx) => {
      await this.lockUsers(tx);
      if (await tx.get('SELECT 1 AS found FROM users WHERE username = ?', [username])) return null;
      // The role is decided under the lock: of registrations that race on an empty table, one is the
      // admin. A name or SSO identity taken meanwhile inserts nothing instead of failing.
      // (`WHERE true` lets SQLite tell the upsert clause from a join's ON.)
      const inserted = await tx.run(
        `INSERT INTO users (id, username, password_hash, oidc_issuer, oidc_subject, role, created_at)
         SELECT ?, ?, ?, ?, ?, CASE WHEN EXISTS (SELECT 1 FROM users) THEN 'user' ELSE 'admin' END, ? WHERE true
         ON CONFLICT DO NOTHING`,
        [id, username, passwordHash, identity?.issuer ?? null, identity?.subject ?? null, toDbTime(at)],
      );
      if (inserted === 0) return null;
      const row = await tx.get<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE id = ?`, [id]);
      return toUser(row!);
    });
  }

  async findById(id: string): Promise<User | null> {
    const row = await this.sql.get<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE id = ?`, [id]);
    return row ? toUser(row) : null;
  }

  async findByUsername(username: string): Promise<UserRecord | null> {
    const row = await this.sql.get<UserRow>(`SELECT ${USER_COLUMNS}, password_hash FROM users WHERE username = ?`, [username]);
    return row ? toUserRecord(row) : null;
  }

  async findByIdentity({ issuer, subject }: SsoSubject): Promise<User | null> {
    const row = await this.sql.get<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE oidc_issuer = ? AND oidc_subject = ?`, [issuer, subject]);
    return row ? toUser(row) : null;
  }

  async list(limit: number, offset: number): Promise<{ users: User[]; total: number }> {
    const [rows, count] = await Promise.all([
      this.sql.all<UserRow>(`SELECT ${USER_COLUMNS} FROM users ORDER BY created_at, id LIMIT ? OFFSET ?`, [limit, offset]),
      this.sql.get<{ n: number }>('SELECT CAST(COUNT(*) AS INTEGER) AS n FROM users'),
    ]);
    return { users: rows.map(toUser), total: Number(count?.n ?? 0) };
  }

  setRole(id: string, role: Role): Promise<User | null | 'last_admin'> {
    return this.sql.transaction(async (tx) => {
      await this.lockUsers(tx);
      const row = await tx.get<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE id = ?`, [id]);
      if (!row) return null;
      if (row.role === 'admin' && role !== 'admin' && (await this.otherAdmins(tx, id)) === 0) return 'last_admin';
      await tx.run('UPDATE users SET role = ? WHERE id = ?', [role, id]);
      return toUser({ ...row, role });
    });
  }

  delete(id: string): Promise<boolean | 'last_admin'> {
    return this.sql.transaction(async (tx) => {
      await this.lockUsers(tx);
      const row = await tx.get<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE id = ?`, [id]);
      if (!row) return false;
      if (row.role === 'admin' && (await this.otherAdmins(tx, id)) === 0) return 'last_admin';
      // api_keys go with the user (ON DELETE CASCADE); on SQLite foreign keys are on, but say it anyway.
      await tx.run('DELETE FROM api_keys WHERE user_id = ?', [id]);
      await tx.run('DELETE FROM users WHERE id = ?', [id]);
      return true;
    });
  }

  async firstAdmin(): Promise<User | null> {
    const row = await this.sql.get<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE role = 'admin' ORDER BY created_at, id LIMIT 1`);
    return row ? toUser(row) : null;
  }

  /**
   * Serializes the writes whose outcome depends on the other accounts (the first admin, the last
   * admin) until commit. PostgreSQL's READ COMMITTED would let two of them each see the table as it
   * was; this lock mode conflicts with itself and with other writes, never with reads. SQLite's
   * writer already runs one transaction at a time.
   */
  private async lockUsers(tx: SqlRunner): Promise<void> {
    if (this.sql.dialect === 'postgres') await tx.run('LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE');
  }

  private async otherAdmins(tx: Pick<Sql, 'get'>, id: string): Promise<number> {
    const row = await tx.get<{ n: number }>("SELECT CAST(COUNT(*) AS INTEGER) AS n FROM users WHERE role = 'admin' AND id <> ?", [id]);
    return Number(row?.n ?? 0);
  }
}
