import { JobLock } from '../domain/job-lock';

/** One instance: a period is claimed once in this process, and forgotten when its claim expires. */
export class InProcessJobLock extends JobLock {
  private readonly claims = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {
    super();
  }

  async claim(job: string, period: string, ttlMs: number): Promise<boolean> {
    const now = this.now();
    for (const [key, expiresAt] of this.claims) if (expiresAt <= now) this.claims.delete(key);
    const key = `${job}:${period}`;
    if (this.claims.has(key)) return false;
    this.claims.set(key, now + ttlMs);
    return true;
  }
}
