import { Injectable } from '@nestjs/common';
import { SessionDeletedError, SessionNotFoundError, StaleVersionError } from '../common/domain-error';
import { RunningTurns } from '../common/running-turns';
import { SessionLock } from '../common/session-lock';
import { ConversationMemory } from '../memory/domain/conversation-memory';
import { ListedSession, normalizeChatName, normalizeTags, OrganiseChange, OrganisedSession, SessionOrganiser, VersionTag } from './domain/organise';
import { EVERYONE, Scope } from './domain/session';
import { SessionListQuery, SessionStore } from './domain/session-store';

@Injectable()
export class SessionsService {
  constructor(
    private readonly store: SessionStore,
    private readonly memory: ConversationMemory,
    private readonly lock: SessionLock,
    private readonly turns: RunningTurns,
    private readonly organiser: SessionOrganiser,
  ) {}

  list(query: SessionListQuery, scope: Scope = EVERYONE): Promise<{ sessions: ListedSession[]; total: number }> {
    return this.store.listSessions(scope, query);
  }

  async find(sessionId: string, scope: Scope): Promise<OrganisedSession> {
    const session = await this.organiser.find(scope, sessionId);
    if (!session) throw new SessionNotFoundError(sessionId);
    return session;
  }

  /** Renames, pins, archives or tags; `expected` (from If-Match) must name the current version, or nothing changes. */
  async organise(sessionId: string, change: OrganiseChange, expected: VersionTag[] | null, scope: Scope): Promise<OrganisedSession> {
    const clean: OrganiseChange = {
      ...change,
      chatName: change.chatName === undefined ? undefined : normalizeChatName(change.chatName),
      tags: change.tags && normalizeTags(change.tags),
    };
    const result = await this.organiser.change(scope, sessionId, clean, expected);
    switch (result.kind) {
      case 'changed':
        return result.session;
      case 'missing':
        throw new SessionNotFoundError(sessionId);
      case 'stale':
        throw new StaleVersionError(sessionId);
    }
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
    const [ids, total] = await Promise.all([this.memory.activeSessionIds(page), this.memory.activeSessionCount()]);
    return { ids, total };
  }
}
