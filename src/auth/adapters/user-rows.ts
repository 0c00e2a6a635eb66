import { fromDbTime } from '../../database/db-time';
import { ApiKey, Role, User, UserRecord } from '../domain/user';

export interface UserRow {
  id: string;
  username: string;
  role: Role;
  created_at: string | Date;
  password_hash?: string | null;
}

export interface ApiKeyRow {
  id: string;
  user_id: string;
  name: string;
  prefix: string;
  created_at: string | Date;
  last_used_at: string | Date | null;
}

export const USER_COLUMNS = 'id, username, role, created_at';
export const API_KEY_COLUMNS = 'id, user_id, name, prefix, created_at, last_used_at';

export function toUser(row: UserRow): User {
  return { id: row.id, username: row.username, role: row.role, createdAt: fromDbTime(row.created_at) };
}

export function toUserRecord(row: UserRow): UserRecord {
  return { ...toUser(row), passwordHash: row.password_hash ?? null };
}

export function toApiKey(row: ApiKeyRow): ApiKey {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    prefix: row.prefix,
    createdAt: fromDbTime(row.created_at),
    lastUsedAt: row.last_used_at === null ? null : fromDbTime(row.last_used_at),
  };
}
