import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { SessionNotFoundError } from '../common/domain-error';
import { ConversationMemory } from '../memory/domain/conversation-memory';
import { Scope } from '../sessions/domain/session';
import { SessionStore } from '../sessions/domain/session-store';
import { SessionSettings, SessionSettingsStore, SettingsChange } from './domain/session-settings';
import { SettingsRules } from './settings-rules';

/** Reads and changes the settings a session applies to every turn. */
@Injectable()
export class SettingsService {
  constructor(
    private readonly sessions: SessionStore,
    private readonly settings: SessionSettingsStore,
    private readonly memory: ConversationMemory,
    private readonly clock: Clock,
    private readonly rules: SettingsRules,
  ) {}

  get allowedModels(): string[] {
    return this.rules.allowedModels;
  }

  async get(sessionId: string, scope: Scope): Promise<SessionSettings> {
    await this.existing(scope, sessionId);
    return (await this.settings.find(sessionId)) ?? this.rules.defaults();
  }

  async change(sessionId: string, change: SettingsChange, scope: Scope): Promise<SessionSettings> {
    this.rules.check(change);
    await this.existing(scope, sessionId);
    const next = await this.settings.change(sessionId, change, this.rules.defaults(), this.clock.now());
    if (!next) throw new SessionNotFoundError(sessionId);
    // Turns hold the settings they ran with beside the window: the next turn must read these.
    await this.memory.forget(sessionId);
    return next;
  }

  private async existing(scope: Scope, sessionId: string): Promise<void> {
    if (!(await this.sessions.findSession(scope, sessionId))) throw new SessionNotFoundError(sessionId);
  }
}
