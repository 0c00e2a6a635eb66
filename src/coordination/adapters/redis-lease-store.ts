import { LeaseStore } from '../domain/lease-store';
import { withDeadline } from '../../common/redis-connection-watch';
import { DEFAULT_TIMEOUT_MS, RedisClient } from './redis-connection';

/** Compare-and-act in one step on the server, so a late holder cannot touch a successor's lease. */
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/** Leases as Redis keys `<prefix>:lock:<key>`: `SET NX PX` to take, Lua compare-and-pexpire / compare-and-delete. */
export class RedisLeaseStore extends LeaseStore {
  constructor(
    private readonly client: RedisClient,
    private readonly prefix: string,
    private readonly timeoutMs = DEFAULT_TIMEOUT_MS,
  ) {
    super();
  }

  async take(key: string, token: string, ttlMs: number): Promise<boolean> {
    const reply = await withDeadline(this.client.set(this.keyOf(key), token, { condition: 'NX', expiration: { type: 'PX', value: ttlMs } }), this.timeoutMs);
    return reply === 'OK';
  }

  async renew(key: string, token: string, ttlMs: number): Promise<boolean> {
    return (await withDeadline(this.client.eval(RENEW, { keys: [this.keyOf(key)], arguments: [token, String(ttlMs)] }), this.timeoutMs)) === 1;
  }

  async release(key: string, token: string): Promise<void> {
    await withDeadline(this.client.eval(RELEASE, { keys: [this.keyOf(key)], arguments: [token] }), this.timeoutMs);
  }

  private keyOf(key: string): string {
    return `${this.prefix}:lock:${key}`;
  }
}
