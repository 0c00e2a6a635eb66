/**
 * Where exclusive, expiring leases on keys live (Redis for several instances). Every method
 * answers within a bounded time or throws.
 */
export abstract class LeaseStore {
  /** Takes `key` for `token` for `ttlMs` unless someone holds it; true when taken. */
  abstract take(key: string, token: string, ttlMs: number): Promise<boolean>;

  /** Extends the lease to `ttlMs` from now if `token` still holds it; false when it expired or was taken. */
  abstract renew(key: string, token: string, ttlMs: number): Promise<boolean>;

  /** Gives the lease up if `token` still holds it, never anyone else's. */
  abstract release(key: string, token: string): Promise<void>;
}
