import { loadConfig } from '../config/load-config';
import { InProcessJobLock } from '../coordination/adapters/in-process-job-lock';
import { JobLock } from '../coordination/domain/job-lock';
import { EVERYONE } from '../sessions/domain/session';
import { InMemoryConversationMemory, InMemorySessionStore } from '../../test/support/fakes';
import { ManualClock } from '../../test/support/manual-clock';
import { PRUNE_BATCH_SIZE, UpkeepService } from './upkeep.service';

const DAY = 86_400_000;

describe(UpkeepService.name, () => {
  const clock = new ManualClock(new Date('2026-11-24T00:00:00.000Z'));
  let store: InMemorySessionStore;
  let memory: InMemoryConversationMemory;
  let upkeep: UpkeepService;
  let jobs: JobLock;

  beforeEach(() => {
    store = new InMemorySessionStore();
    memory = new InMemoryConversationMemory();
    jobs = new InProcessJobLock(() => clock.now().getTime());
    upkeep = new UpkeepService(store, memory, clock, loadConfig({ SESSION_RETENTION_DAYS: '7' }), jobs);
  });

  async function seed(count: number, ageDays: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const id = `${ageDays}-${i}`;
      await store.startTurn(EVERYONE, id, 'hi', 'hi', new Date(clock.now().getTime() - ageDays * DAY));
      await memory.hold(id, [{ human: 'hi', ai: 'there' }]);
      ids.push(id);
    }
    return ids;
  }

  it('should delete more sessions than one batch holds, and their windows', async () => {
    const old = await seed(PRUNE_BATCH_SIZE * 2 + 3, 40);
    const recent = await seed(2, 3);
    const result = await upkeep.cleanup(30, false);
    expect(result).toEqual({ deletedCount: old.length, daysOld: 30, dryRun: false });
    expect([...store.sessions.keys()]).toEqual(recent);
    expect(await memory.activeSessionIds()).toEqual(recent);
  });

  it('should only count on a dry run', async () => {
    await seed(3, 40);
    expect(await upkeep.cleanup(30, true)).toEqual({ deletedCount: 3, daysOld: 30, dryRun: true });
    expect(store.sessions.size).toBe(3);
  });

  it('should evict the windows idle for longer than SESSION_TIMEOUT', async () => {
    upkeep = new UpkeepService(store, memory, clock, loadConfig({ SESSION_TIMEOUT: '600' }), jobs);
    await upkeep.evictIdleWindows();
    expect(memory.evictions).toEqual([new Date(clock.now().getTime() - 600_000)]);
  });

  it('should prune by SESSION_RETENTION_DAYS on the daily job', async () => {
    await seed(2, 8);
    const kept = await seed(1, 6);
    await upkeep.pruneExpiredSessions();
    expect([...store.sessions.keys()]).toEqual(kept);
  });

  it('should prune once per period when several instances fire, and again in the next period', async () => {
    const other = new UpkeepService(store, memory, clock, loadConfig({ SESSION_RETENTION_DAYS: '7' }), jobs);
    await seed(1, 8);
    await upkeep.pruneExpiredSessions();
    const late = await seed(1, 8);
    await other.pruneExpiredSessions();
    expect([...store.sessions.keys()]).toEqual(late);
    clock.advance(DAY);
    await other.pruneExpiredSessions();
    expect(store.sessions.size).toBe(0);
  });

  it('should evict once per minute across instances', async () => {
    const other = new UpkeepService(store, memory, clock, loadConfig({}), jobs);
    await upkeep.evictIdleWindows();
    await other.evictIdleWindows();
    expect(memory.evictions).toHaveLength(1);
    clock.advance(60_000);
    await other.evictIdleWindows();
    expect(memory.evictions).toHaveLength(2);
  });
});
