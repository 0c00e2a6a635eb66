import { Injectable } from '@nestjs/common';
import { AuthDisabledError, LastAdminError, UserNotFoundError } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { ConversationMemory } from '../memory/domain/conversation-memory';
import { ownedBy } from '../sessions/domain/session';
import { SessionStore } from '../sessions/domain/session-store';
import { Role, User } from './domain/user';
import { UserStore } from './domain/user-store';

/** Later than any session's last activity: "every session of the user". */
const END_OF_TIME = new Date('9999-12-31T23:59:59.999Z');
const DELETE_BATCH = 50;

/** User management, for admins. */
@Injectable()
export class UsersService {
  constructor(
    private readonly users: UserStore,
    private readonly sessions: SessionStore,
    private readonly memory: ConversationMemory,
    private readonly config: AppConfig,
  ) {}

  list(limit: number, offset: number): Promise<{ users: User[]; total: number }> {
    this.requireAccounts();
    return this.users.list(limit, offset);
  }

  async setRole(id: string, role: Role): Promise<User> {
    this.requireAccounts();
    const result = await this.users.setRole(id, role);
    if (result === 'last_admin') throw new LastAdminError();
    if (!result) throw new UserNotFoundError(id);
    return result;
  }

  /**
   * Deletes the user (their tokens and keys stop working at once), then their sessions in small
   * batches through the session store, which keeps the activity counters equal to the rows.
   */
  async delete(id: string): Promise<void> {
    this.requireAccounts();
    const result = await this.users.delete(id);
    if (result === 'last_admin') throw new LastAdminError();
    if (!result) throw new UserNotFoundError(id);
    for (;;) {
      const deleted = await this.sessions.pruneIdleSince(ownedBy(id), END_OF_TIME, DELETE_BATCH);
      await Promise.all(deleted.map((sessionId) => this.memory.forget(sessionId)));
      if (deleted.length === 0) break;
    }
  }

  private requireAccounts(): void {
    if (this.config.auth.mode !== 'jwt') throw new AuthDisabledError();
  }
}
