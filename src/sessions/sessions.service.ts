import { Injectable } from '@nestjs/common';
import { SessionNotFoundError } from '../common/domain-error';
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
  ) {}

  list(query: SessionListQuery, scope: Scope = EVERYONE): Promise<{ sessions: Session[]; total: number }> {
    return this.store.listSessions(scope, query);
  }

  /** Deletes the session, its messages and its window; waits for a turn in progress on it. */
  delete(sessionId: string, scope: Scope = EVERYONE): Promise<void> {
    return this.lock.run(sessionId, async () => {
      const deleted = await this.store.deleteSession(scope, sessionId);
      // Only the owner's delete drops the window: another user's id must change nothing.
      if (!deleted) throw new SessionNotFoundError(sessionId);
      await this.memory.forget(sessionId);
    });
  }

  activeSessionIds(): Promise<string[]> {
    return this.memory.activeSessionIds();
  }
}
