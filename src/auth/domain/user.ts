import type { Role } from '../../common/http/access';

export type { Role };

export interface User {
  readonly id: string;
  readonly username: string;
  readonly role: Role;
  readonly createdAt: Date;
}

/** A user with the stored password hash; null for accounts that only sign in through SSO. */
export interface UserRecord extends User {
  readonly passwordHash: string | null;
}

export interface ApiKey {
  readonly id: string;
  readonly userId: string;
  readonly name: string;
  /** The first characters of the key, for people to tell keys apart; the key itself is not kept. */
  readonly prefix: string;
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
}

/** Usernames compare without case: stored lower-cased. */
export function normalUsername(username: string): string {
  return username.trim().toLowerCase();
}
