import { Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { withDeadline } from '../../common/redis-connection-watch';
import { DEFAULT_TIMEOUT_MS, RedisClient } from './redis-connection';

/**
 * One round trip: count the hit in a window that starts with the first hit, and block the key for
 * `blockDuration` once the count passes the limit. Returns hits, the window's and the block's ms left.
 */
const INCREMENT = `
local hits = redis.call('INCR', KEYS[1])
local left = redis.call('PTTL', KEYS[1])
if left <= 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); left = tonumber(ARGV[1]) end
local blocked = redis.call('PTTL', KEYS[2])
if blocked <= 0 and hits > tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3]); blocked = tonumber(ARGV[3])
end
if blocked < 0 then blocked = 0 end
return { hits, left, blocked }`;

const QUIET_MS = 30_000;

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * The rate limiter's counters in Redis, so the limit holds per client across instances. Written
 * over the node-redis client the service already has rather than a storage package built on
 * ioredis (a second client, connection and timeout policy). When Redis cannot be reached it fails
 * open: the request passes and a warning is logged once per burst.
 */
export class RedisThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger('RateLimit');
  private warnedAt = 0;

  constructor(
    private readonly client: RedisClient,
    private readonly prefix: string,
    private readonly timeoutMs = DEFAULT_TIMEOUT_MS,
  ) {}

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    const base = `${this.prefix}:throttle:${throttlerName}:${key}`;
    try {
      const reply = this.client.eval(INCREMENT, {
        keys: [`${base}:hits`, `${base}:blocked`],
        arguments: [String(ttl), String(limit), String(blockDuration > 0 ? blockDuration : ttl)],
      });
      const [hits, left, blocked] = (await withDeadline(reply, this.timeoutMs)) as [number, number, number];
      this.warnedAt = 0;
      return { totalHits: hits, timeToExpire: Math.ceil(left / 1000), isBlocked: blocked > 0, timeToBlockExpire: Math.ceil(blocked / 1000) };
    } catch (error) {
      this.warnOnce(error as Error);
      return { totalHits: 0, timeToExpire: Math.ceil(ttl / 1000), isBlocked: false, timeToBlockExpire: 0 };
    }
  }

  private warnOnce(error: Error): void {
    if (Date.now() - this.warnedAt < QUIET_MS) return;
    this.warnedAt = Date.now();
    this.logger.warn(`Rate limits are not enforced: Redis cannot be reached (${error.message}); requests pass until it is back`);
  }
}
