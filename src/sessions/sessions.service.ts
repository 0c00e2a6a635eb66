import { Injectable } from '@nestjs/common';
import { SessionDeletedError, SessionNotFoundError } from '../common/domain-error';
import { RunningTurns } from '../common/running-turns';
import { SessionLock } from '../common/session-lock';
import { ConversationMemory } from '../memory/domain/conversation-memory';
import { EVERYONE, Scope, Session } from './domain/session';
import { SessionListQuery, SessionStore } from './domain/session-store';

@Injectable()
export class SessionsService {
  constructor(
    private readonly store: SessionStore,
    private readonly memory: ConversationMemory,
    private readonly lock: SessionLock,
    private readonly turns: RunningTurns,
  ) {}

  list(query: SessionListQuery, scope: Scope = EVERYONE): Promise<{ sessions: Session[]; total: number }> {
    return this.store.listSessions(scope, query);
  }

  /** Deletes the session, its messages and its window; a turn in progress on it is stopped. */
  async delete(sessionId: string, scope: Scope = EVERYONE): Promise<void> {
    // Only a caller who can see the session may stop its turns.
    if (await this.store.findSession(scope, sessionId)) this.turns.cancel(sessionId, new SessionDeletedError(sessionId));
    return this.lock.run(sessionId, async () => {
      const deleted = await this.store.deleteSession(scope, sessionId);
      // Only the owner's delete drops the window: another user's id must change nothing.
      if (!deleted) throw new SessionNotFoundError(sessionId);
      await this.memory.forget(sessionId);
    });
  }

  /** A page of the held sessions, with how many are held in all. */
  async activeSessions(page: { limit?: number; offset: number }): Promise<{ ids: string[]; total: number }> {
    const ids = await this.memory.activeSessionIds();
    const end = page.limit === undefined ? undefined : page.offset + page.limit;
    return { ids: ids.slice(page.offset, end), total: ids.length };
  }
}
