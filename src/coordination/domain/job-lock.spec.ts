import { loadConfig } from '../../config/load-config';
import { periodOf } from './job-lock';

describe(periodOf.name, () => {
  const daily = loadConfig({}).prune;

  it('should read the default schedule as once a day at 03:00 UTC', () => {
    expect(daily).toEqual({ cron: '0 3 * * *', periodMs: 86_400_000, phaseMs: 3 * 3_600_000 });
  });

  it('should give instances that fire a little apart the same period, and the next run another', () => {
    const run = periodOf(new Date('2026-12-01T03:00:00.020Z'), daily);
    expect(run).toBe('2026-12-01T03:00:00.000Z');
    expect(periodOf(new Date('2026-12-01T02:59:59.900Z'), daily)).toBe(run);
    expect(periodOf(new Date('2026-12-01T03:00:04.000Z'), daily)).toBe(run);
    expect(periodOf(new Date('2026-12-02T03:00:00.010Z'), daily)).toBe('2026-12-02T03:00:00.000Z');
  });

  it('should take the grid of an offset schedule from its runs (every 6 hours from 03:00)', () => {
    const schedule = loadConfig({ PRUNE_CRON: '0 3,9,15,21 * * *' }).prune;
    expect(schedule).toMatchObject({ periodMs: 6 * 3_600_000, phaseMs: 3 * 3_600_000 });
    expect(periodOf(new Date('2026-12-01T08:59:59.950Z'), schedule)).toBe('2026-12-01T09:00:00.000Z');
    expect(periodOf(new Date('2026-12-01T09:00:00.050Z'), schedule)).toBe('2026-12-01T09:00:00.000Z');
  });

  it('should refuse a PRUNE_CRON that is not a cron expression', () => {
    expect(() => loadConfig({ PRUNE_CRON: 'every day' })).toThrow(/PRUNE_CRON/);
  });
});
