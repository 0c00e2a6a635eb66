import { claudeConversation } from '../../test/support/export-files';
import { InMemorySessionStore, InMemorySettingsStore } from '../../test/support/fakes';
import { SystemClock } from '../common/clock';
import { StoreUnavailableError } from '../common/domain-error';
import { loadConfig } from '../config/load-config';
import { SessionOrganiser } from '../sessions/domain/organise';
import { EVERYONE } from '../sessions/domain/session';
import { SessionImport } from '../sessions/domain/session-store';
import { ImportService } from './import.service';

/** Refuses the import of the conversations named in `refused`, as a store whose transaction fails would. */
class RefusingStore extends InMemorySessionStore {
  refused = new Set<string>();
  error: Error = new StoreUnavailableError('The database did not answer in time.');

  override async importSession(scope: typeof EVERYONE, session: SessionImport) {
    if (this.refused.has(session.chatName)) throw this.error;
    return super.importSession(scope, session);
  }
}

/** Claude's files say nothing of pins or tags: organising is never asked for. */
const noOrganiser: SessionOrganiser = {
  find: () => Promise.reject(new Error('not expected')),
  change: () => Promise.reject(new Error('not expected')),
};

const conversation = (name: string) => claudeConversation(name, [{ sender: 'human', text: `hello from ${name}`, at: '2025-01-01T00:00:00Z' }]);

describe(ImportService.name, () => {
  let store: RefusingStore;
  let service: ImportService;

  beforeEach(() => {
    store = new RefusingStore();
    service = new ImportService(store, new InMemorySettingsStore(), noOrganiser, new SystemClock(), loadConfig({}));
  });

  it('should go on after a conversation the store refuses, reporting it as skipped', async () => {
    store.refused.add('two');
    const report = await service.import([conversation('one'), conversation('two'), conversation('three')], EVERYONE, false);
    expect(report).toEqual({
      format: 'claude',
      imported: 2,
      sessionIds: [expect.any(String), expect.any(String)],
      skipped: [{ index: 1, title: 'two', reason: 'not stored: The database did not answer in time.' }],
    });
    expect([...store.sessions.values()].map((s) => s.chatName).sort()).toEqual(['one', 'three']);
  });

  it('should fail as a whole, with the store\'s own error, when the store took none of them', async () => {
    store.refused = new Set(['one', 'two']);
    await expect(service.import([conversation('one'), conversation('two')], EVERYONE, false)).rejects.toBe(store.error);
  });

  it('should store nothing in a dry run', async () => {
    const report = await service.import([conversation('one')], EVERYONE, true);
    expect(report).toEqual({ format: 'claude', imported: 1, sessionIds: [], skipped: [] });
    expect(store.sessions.size).toBe(0);
  });
});
