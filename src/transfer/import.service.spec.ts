import { claudeConversation } from '../../test/support/export-files';
import { InMemorySessionStore } from '../../test/support/fakes';
import { ManualClock } from '../../test/support/manual-clock';
import { StoreUnavailableError } from '../common/domain-error';
import { loadConfig } from '../config/load-config';
import { EVERYONE } from '../sessions/domain/session';
import { SessionImport } from '../sessions/domain/session-store';
import { ImportService } from './import.service';

/** Refuses the import of the conversations named in `refused`, as a store whose transaction fails would; keeps what it was given. */
class RefusingStore extends InMemorySessionStore {
  refused = new Set<string>();
  error: Error = new StoreUnavailableError('The database did not answer in time.');
  readonly imports: SessionImport[] = [];

  override async importSession(scope: typeof EVERYONE, session: SessionImport) {
    if (this.refused.has(session.chatName)) throw this.error;
    this.imports.push(session);
    return super.importSession(scope, session);
  }
}

const conversation = (name: string) => claudeConversation(name, [{ sender: 'human', text: `hello from ${name}`, at: '2025-01-01T00:00:00Z' }]);

describe(ImportService.name, () => {
  let store: RefusingStore;
  let service: ImportService;
  const clock = new ManualClock(new Date('2026-12-01T12:00:00Z'));

  beforeEach(() => {
    store = new RefusingStore();
    service = new ImportService(store, clock, loadConfig({}));
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

  it('should hand the store each session with its settings (an unknown model dropped) and organisation, in one write', async () => {
    const file = {
      format: 'chat-sessions/1',
      sessions: [
        {
          chat_name: 'organised',
          created_at: '2025-01-01T00:00:00Z',
          pinned: true,
          tags: ['Work'],
          settings: { system_prompt: 'Be brief.', model: 'not-offered', temperature: 0.2, memory: { strategy: 'tokens', max_history: 4, max_tokens: 2000 } },
          messages: [{ sender: 'Human', content: 'hi', timestamp: '2025-01-01T00:00:00Z' }],
        },
        { chat_name: 'plain', created_at: '2025-01-01T00:00:00Z', settings: null, messages: [{ sender: 'Human', content: 'hi', timestamp: '2025-01-01T00:00:00Z' }] },
      ],
    };
    const report = await service.import(file, EVERYONE, false);
    expect(report.imported).toBe(2);
    expect(store.imports).toEqual([
      expect.objectContaining({
        sessionId: report.sessionIds[0],
        chatName: 'organised',
        settings: { systemPrompt: 'Be brief.', model: null, temperature: 0.2, memory: { strategy: 'tokens', maxHistory: 4, maxTokens: 2000 }, setAt: clock.now() },
        organisation: { pinned: true, archived: false, tags: ['work'] },
      }),
      expect.objectContaining({ sessionId: report.sessionIds[1], chatName: 'plain', settings: null, organisation: null }),
    ]);
  });

  it('should store nothing in a dry run', async () => {
    const report = await service.import([conversation('one')], EVERYONE, true);
    expect(report).toEqual({ format: 'claude', imported: 1, sessionIds: [], skipped: [] });
    expect(store.sessions.size).toBe(0);
  });
});
