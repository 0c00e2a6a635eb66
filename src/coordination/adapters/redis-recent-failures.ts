import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { OutageLog } from '../../common/outage-log';
import { withDeadline } from '../../common/redis-connection-watch';
import { RecentFailures } from '../domain/recent-failures';
import { DEFAULT_TIMEOUT_MS, RedisClient } from './redis-connection';

/**
 * Each key is a sorted set of failure times: add one, drop those out of the window and all but the
 * newest `keep`, and let the key expire with the window, in one round trip per call.
 */
const RECORD = `
for _, key in ipairs(KEYS) do
  redis.call('ZADD', key, ARGV[1], ARGV[1] .. ':' .. ARGV[4])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', tonumber(ARGV[1]) - tonumber(ARGV[2]))
  redis.call('ZREMRANGEBYRANK', key, 0, -tonumber(ARGV[3]) - 1)
  redis.call('PEXPIRE', key, ARGV[2])
end
return 1`;
const SINCE = `return redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. ARGV[1], '+inf', 'WITHSCORES')`;

/**
 * Failures in Redis under `<prefix>:failures:<key>`, so every instance counts them together. While
 * Redis cannot be reached, each instance counts its own: every failure is also noted in `local`,
 * which answers instead; the outage is logged once, and its end.
 */
export class RedisRecentFailures extends RecentFailures {
  private readonly outage = new OutageLog('Redis for sign-in throttling (failures counted per instance meanwhile)', new Logger('LoginThrottle'));

  constructor(
    private readonly client: RedisClient,
    private readonly prefix: string,
    private readonly local: RecentFailures,
    private readonly timeoutMs = DEFAULT_TIMEOUT_MS,
  ) {
    super();
  }

  async record(keys: readonly string[], at: number, windowMs: number, keep: number): Promise<void> {
    await this.local.record(keys, at, windowMs, keep);
    const args = [String(at), String(windowMs), String(keep), randomUUID()];
    await this.shared(this.client.eval(RECORD, { keys: keys.map((k) => this.keyOf(k)), arguments: args }), undefined);
  }

  async since(key: string, at: number, windowMs: number): Promise<number[]> {
    const reply = this.client.eval(SINCE, { keys: [this.keyOf(key)], arguments: [String(at - windowMs)] }) as Promise<string[]>;
    const pairs = await this.shared(reply, null);
    // WITHSCORES answers member, score, member, score…
    return pairs ? pairs.filter((_, i) => i % 2 === 1).map(Number) : this.local.since(key, at, windowMs);
  }

  async forget(key: string): Promise<void> {
    await this.local.forget(key);
    await this.shared(this.client.del(this.keyOf(key)), undefined);
  }

  /** The reply, or `fallback` when Redis does not give one in time. */
  private async shared<T, F>(reply: Promise<T>, fallback: F): Promise<T | F> {
    try {
      const value = await withDeadline(reply, this.timeoutMs, 'Redis');
      this.outage.succeeded();
      return value;
    } catch (error) {
      reply.catch(() => undefined);
      this.outage.failed(error);
      return fallback;
    }
  }

  private keyOf(key: string): string {
    return `${this.prefix}:failures:${key}`;
  }
}
