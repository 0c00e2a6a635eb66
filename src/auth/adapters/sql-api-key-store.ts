import { Injectable } from '@nestjs/common';
import { fromDbTime, toDbTime } from '../../database/db-time';
import { Sql } from '../../database/sql';
import { ApiKeyStore, NewApiKey } from '../domain/api-key-store';
import { ApiKey, User } from '../domain/user';
import { API_KEY_COLUMNS, ApiKeyRow, toApiKey, toUser, UserRow } from './user-rows';

/** API keys in portable SQL, found by the hash of the key (a unique index). */
@Injectable()
export class SqlApiKeyStore extends ApiKeyStore {
  constructor(private readonly sql: Sql) {
    super();
  }

  async create({ id, userId, name, keyHash, prefix, at }: NewApiKey): Promise<ApiKey> {
    await this.sql.run('INSERT INTO api_keys (id, user_id, name, key_hash, prefix, created_at) VALUES (?, ?, ?, ?, ?, ?)', [
      id,
      userId,
      name,
      keyHash,
      prefix,
      toDbTime(at),
    ]);
    return { id, userId, name, prefix, createdAt: at, lastUsedAt: null };
  }

  async list(userId: string): Promise<ApiKey[]> {
    const rows = await this.sql.all<ApiKeyRow>(`SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE user_id = ? ORDER BY created_at, id`, [userId]);
    return rows.map(toApiKey);
  }

  async revoke(userId: string, keyId: string): Promise<boolean> {
    return (await this.sql.run('DELETE FROM api_keys WHERE id = ? AND user_id = ?', [keyId, userId])) > 0;
  }

  async ownerOf(keyHash: string, at: Date, touchAfterMs: number): Promise<User | null> {
    const row = await this.sql.get<UserRow & { key_id: string; last_used_at: string | Date | null }>(
      `SELECT u.id, u.username, u.role, u.created_at, k.id AS key_id, k.last_used_at
       FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.key_hash = ?`,
      [keyHash],
    );
    if (!row) return null;
    if (row.last_used_at === null || at.getTime() - fromDbTime(row.last_used_at).getTime() >= touchAfterMs) {
      await this.sql.run('UPDATE api_keys SET last_used_at = ? WHERE id = ?', [toDbTime(at), row.key_id]);
    }
    return toUser(row);
  }
}
