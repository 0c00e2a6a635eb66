import { Injectable } from '@nestjs/common';
import { SessionClearedError, SessionNotFoundError } from '../common/domain-error';
import { RunningTurns } from '../common/running-turns';
import { SessionLock } from '../common/session-lock';
import { ConversationMemory } from '../memory/domain/conversation-memory';
import { EVERYONE, Scope } from '../sessions/domain/session';
import { MessagePage, MessagePageQuery, SessionStore } from '../sessions/domain/session-store';

@Injectable()
export class HistoryService {
  constructor(
    private readonly store: SessionStore,
    private readonly memory: ConversationMemory,
    private readonly lock: SessionLock,
    private readonly turns: RunningTurns,
  ) {}

  async page(sessionId: string, query: MessagePageQuery, scope: Scope = EVERYONE): Promise<MessagePage> {
    const session = await this.store.findSession(scope, sessionId);
    if (!session) throw new SessionNotFoundError(sessionId);
    return this.store.messagePage(scope, sessionId, query);
  }

  /** Deletes the messages but keeps the session; the window goes with them. A turn in progress is stopped. */
  async clear(sessionId: string, scope: Scope = EVERYONE): Promise<number> {
    // Only a caller who can see the session may stop its turns.
    if (await this.store.findSession(scope, sessionId)) this.turns.cancel(sessionId, new SessionClearedError(sessionId));
    return this.lock.run(sessionId, async () => {
      const deleted = await this.store.clearMessages(scope, sessionId);
      if (deleted === null) throw new SessionNotFoundError(sessionId);
      await this.memory.forget(sessionId);
      return deleted;
    });
  }
}
