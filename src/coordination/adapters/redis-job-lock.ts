import { Logger } from '@nestjs/common';
import { JobLock } from '../domain/job-lock';
import { withDeadline } from '../../common/redis-connection-watch';
import { DEFAULT_TIMEOUT_MS, RedisClient } from './redis-connection';

/**
 * A period is claimed with `SET <prefix>:job:<name>:<period> NX PX`: the first instance runs the
 * job, the others skip. When Redis cannot be reached the run is skipped (at most once per period);
 * the next period tries again.
 */
export class RedisJobLock extends JobLock {
  private readonly logger = new Logger('JobLock');

  constructor(
    private readonly client: RedisClient,
    private readonly prefix: string,
    private readonly instance: string,
    private readonly timeoutMs = DEFAULT_TIMEOUT_MS,
  ) {
    super();
  }

  async claim(job: string, period: string, ttlMs: number): Promise<boolean> {
    try {
      const key = `${this.prefix}:job:${job}:${period}`;
      const reply = await withDeadline(this.client.set(key, this.instance, { condition: 'NX', expiration: { type: 'PX', value: ttlMs } }), this.timeoutMs);
      return reply === 'OK';
    } catch (error) {
      this.logger.warn(`Skipped ${job} for ${period}: Redis cannot be reached to claim it (${(error as Error).message})`);
      return false;
    }
  }
}
