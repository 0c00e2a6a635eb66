import { InvalidInputError } from '../common/domain-error';
import { InProcessRunningTurns } from '../common/running-turns';
import { InMemoryConversationMemory } from '../../test/support/fakes';
import { ManualClock } from '../../test/support/manual-clock';
import { BULK_BATCH_SIZE, BulkRequest, BulkSessionsService } from './bulk-sessions.service';
import { BulkAction, BulkFilter, SessionBulkStore, SessionRef } from './domain/bulk';
import { EVERYONE, Scope } from './domain/session';

/** Sessions by id, filtered by tag only; each batch takes the next ids in order, as the SQL store does. */
class FakeBulkStore extends SessionBulkStore {
  readonly batches: { afterId: string | null; size: number }[] = [];
  readonly filters: BulkFilter[] = [];

  constructor(public ids: string[]) {
    super();
  }

  async count(_scope: Scope, filter: BulkFilter): Promise<{ matched: number; affected: number }> {
    this.filters.push(filter);
    return { matched: this.ids.length, affected: this.ids.length };
  }

  async sample(_scope: Scope, _filter: BulkFilter, _action: BulkAction, limit: number): Promise<SessionRef[]> {
    return this.ids.slice(0, limit).map((sessionId) => ({ sessionId, chatName: sessionId }));
  }

  async applyBatch(_scope: Scope, _filter: BulkFilter, action: BulkAction, afterId: string | null, size: number): Promise<string[]> {
    this.batches.push({ afterId, size });
    const batch = this.ids.filter((id) => afterId === null || id > afterId).slice(0, size);
    if (action.kind === 'delete') this.ids = this.ids.filter((id) => !batch.includes(id));
    return batch;
  }
}

describe(BulkSessionsService.name, () => {
  const clock = new ManualClock(new Date('2026-11-24T00:00:00.000Z'));
  const ids = Array.from({ length: BULK_BATCH_SIZE * 2 + 1 }, (_, i) => `s${String(i).padStart(5, '0')}`);
  let store: FakeBulkStore;
  let memory: InMemoryConversationMemory;
  let turns: InProcessRunningTurns;
  let service: BulkSessionsService;
  const request = (over: Partial<BulkRequest> = {}): BulkRequest => ({ filter: { tag: 'work' }, action: 'delete', dryRun: false, matchAll: false, ...over });

  beforeEach(() => {
    store = new FakeBulkStore([...ids]);
    memory = new InMemoryConversationMemory();
    turns = new InProcessRunningTurns();
    service = new BulkSessionsService(store, memory, turns, clock);
  });

  it('should walk every batch, each after the last id of the one before, and drop the windows of deleted sessions', async () => {
    await memory.hold(ids[0], [{ human: 'hi', ai: 'there' }]);
    await memory.hold(ids[ids.length - 1], [{ human: 'hi', ai: 'there' }]);
    const running = turns.begin(ids[3]);

    const result = await service.execute(EVERYONE, request());

    expect(result).toMatchObject({ matched: ids.length, affected: ids.length });
    expect(result.sample).toHaveLength(20);
    expect(store.batches.map((b) => b.afterId)).toEqual([null, ids[BULK_BATCH_SIZE - 1], ids[2 * BULK_BATCH_SIZE - 1], ids[ids.length - 1]]);
    expect(await memory.recentTurns(ids[0], 10)).toBeUndefined();
    expect(await memory.recentTurns(ids[ids.length - 1], 10)).toBeUndefined();
    expect(running.signal.aborted).toBe(true);
  });

  it('should change nothing on a dry run', async () => {
    expect(await service.execute(EVERYONE, request({ dryRun: true }))).toMatchObject({ matched: ids.length, affected: ids.length });
    expect(store.batches).toEqual([]);
    expect(store.ids).toHaveLength(ids.length);
  });

  it('should leave windows alone for an organising action', async () => {
    await memory.hold(ids[0], [{ human: 'hi', ai: 'there' }]);
    await service.execute(EVERYONE, request({ action: 'archive' }));
    expect(await memory.recentTurns(ids[0], 10)).toBeDefined();
  });

  it('should normalize tags, turn idle days into a cutoff, and drop a blank q', async () => {
    await service.execute(EVERYONE, request({ filter: { tag: ' Work ', idleDays: 2, q: '   ', sessionIds: ['AB', 'ab'] }, dryRun: true }));
    expect(store.filters[0]).toEqual({ tag: 'work', idleBefore: new Date('2026-11-22T00:00:00.000Z'), sessionIds: ['ab'] });
  });

  it('should refuse an empty filter without match_all, match_all with a filter, and a tag the action does not take', async () => {
    const refused: BulkRequest[] = [
      request({ filter: {} }),
      request({ filter: { q: ' ' } }),
      request({ matchAll: true }),
      request({ action: 'tag' }),
      request({ action: 'untag' }),
      request({ action: 'archive', tag: 'x' }),
      request({ action: 'tag', tag: 'no,commas' }),
    ];
    for (const r of refused) await expect(service.execute(EVERYONE, r)).rejects.toBeInstanceOf(InvalidInputError);
    expect(store.filters).toEqual([]);
    await expect(service.execute(EVERYONE, request({ filter: {}, matchAll: true, dryRun: true }))).resolves.toMatchObject({ matched: ids.length });
  });
});
