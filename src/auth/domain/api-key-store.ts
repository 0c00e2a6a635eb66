import { ApiKey, User } from './user';

export interface NewApiKey {
  readonly id: string;
  readonly userId: string;
  readonly name: string;
  readonly keyHash: string;
  readonly prefix: string;
  readonly at: Date;
}

/** API keys, kept only as hashes of the key. */
export abstract class ApiKeyStore {
  abstract create(key: NewApiKey): Promise<ApiKey>;

  /** A user's keys, oldest first. */
  abstract list(userId: string): Promise<ApiKey[]>;

  /** False when the user has no such key (someone else's key included). */
  abstract revoke(userId: string, keyId: string): Promise<boolean>;

  /**
   * The owner of the key with this hash, read from the database on every call so a revoked key
   * fails at once on every instance; records `at` as its last use when the last one is older than
   * `touchAfterMs`.
   */
  abstract ownerOf(keyHash: string, at: Date, touchAfterMs: number): Promise<User | null>;
}
