import KeyvRedis, { RedisClientType } from '@keyv/redis';
import { Keyv } from 'keyv';

/** Ids read or removed per command when evicting, so that no one command holds Redis long. */
export const EVICT_BATCH = 500;

/**
 * Which windows are held, shared by every instance on one Redis: a sorted set of session ids scored
 * by last use (ms), under `<REDIS_PREFIX>:windows`. It runs on the Keyv store's own connection
 * (no offline queue, a deadline per command), so it fails as fast as the windows do.
 */
export class SharedWindowList {
  private constructor(
    private readonly client: RedisClientType,
    private readonly key: string,
  ) {}

  /** The list of the Redis store under `cache`; undefined for a store that is not Redis (in-process, or a test's). */
  static of(cache: Keyv, prefix: string): SharedWindowList | undefined {
    const store: unknown = cache.store;
    return store instanceof KeyvRedis ? new SharedWindowList(store.client as RedisClientType, `${prefix}:windows`) : undefined;
  }

  /** Marks a use of the window; when that listed a new one, returns how many are listed now (only then can the count go over). */
  async touch(sessionId: string, usedAt: number): Promise<number | undefined> {
    const added = await this.client.zAdd(this.key, { score: usedAt, value: sessionId });
    return added > 0 ? this.client.zCard(this.key) : undefined;
  }

  /** Marks a use of a window already listed; a window not listed (deleted, or never held) is not added. */
  async refresh(sessionId: string, usedAt: number): Promise<void> {
    await this.client.zAdd(this.key, { score: usedAt, value: sessionId }, { condition: 'XX' });
  }

  /** The `count` least recently used. */
  oldest(count: number): Promise<string[]> {
    return this.client.zRange(this.key, 0, count - 1);
  }

  /** The sessions used at or after `since` (ms), most recently used first. */
  usedSince(since: number, offset = 0, limit?: number): Promise<string[]> {
    return this.client.zRange(this.key, '+inf', since, { BY: 'SCORE', REV: true, LIMIT: { offset, count: limit ?? -1 } });
  }

  countSince(since: number): Promise<number> {
    return this.client.zCount(this.key, since, '+inf');
  }

  /** At most one batch of the sessions last used before `cutoff` (ms), least recently used first. */
  usedBefore(cutoff: number): Promise<string[]> {
    return this.client.zRange(this.key, '-inf', `(${cutoff}`, { BY: 'SCORE', LIMIT: { offset: 0, count: EVICT_BATCH } });
  }

  /** Takes the sessions off the list; returns how many were on it (when two instances remove one, only one counts it). */
  remove(sessionIds: string[]): Promise<number> {
    return sessionIds.length === 0 ? Promise.resolve(0) : this.client.zRem(this.key, sessionIds);
  }

  async clear(): Promise<void> {
    await this.client.del(this.key);
  }
}
