import type { JobSchedule } from '../../config/app-config';

/**
 * Lets a scheduled job run once per period across every instance: each instance's scheduler fires,
 * the first to claim the period runs the job, the others skip it.
 */
export abstract class JobLock {
  /** True for the one caller, across instances, that may run `job` for `period`; the claim lasts `ttlMs`. */
  abstract claim(job: string, period: string, ttlMs: number): Promise<boolean>;

  /** Runs `work` unless another instance already ran `job` for the period `now` falls in; says whether it ran. */
  async runOncePerPeriod(job: string, schedule: JobSchedule, now: Date, work: (period: string) => Promise<void>): Promise<boolean> {
    const period = periodOf(now, schedule);
    if (!(await this.claim(job, period, schedule.periodMs))) return false;
    await work(period);
    return true;
  }
}

/**
 * The run of `schedule` that `now` belongs to: the nearest point of its grid, so instances whose
 * timers fire a little apart (latency, clock skew under half a period) name the same run.
 */
export function periodOf(now: Date, { periodMs, phaseMs }: Pick<JobSchedule, 'periodMs' | 'phaseMs'>): string {
  const index = Math.round((now.getTime() - phaseMs) / periodMs);
  return new Date(index * periodMs + phaseMs).toISOString();
}
