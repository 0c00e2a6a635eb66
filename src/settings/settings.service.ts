import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { InvalidInputError, SessionNotFoundError } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { ConversationMemory } from '../memory/domain/conversation-memory';
import { Scope } from '../sessions/domain/session';
import { SessionStore } from '../sessions/domain/session-store';
import { allowedModels, defaultSettings, SessionSettings, SessionSettingsStore, SettingsChange } from './domain/session-settings';

/** Reads and changes the settings a session applies to every turn. */
@Injectable()
export class SettingsService {
  constructor(
    private readonly sessions: SessionStore,
    private readonly settings: SessionSettingsStore,
    private readonly memory: ConversationMemory,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  get allowedModels(): string[] {
    return allowedModels(this.config.llm);
  }

  async get(sessionId: string, scope: Scope): Promise<SessionSettings> {
    await this.existing(scope, sessionId);
    return (await this.settings.find(sessionId)) ?? this.defaults();
  }

  async change(sessionId: string, change: SettingsChange, scope: Scope): Promise<SessionSettings> {
    this.check(change);
    await this.existing(scope, sessionId);
    const next = await this.settings.change(sessionId, change, this.defaults(), this.clock.now());
    if (!next) throw new SessionNotFoundError(sessionId);
    // Turns hold the settings they ran with beside the window: the next turn must read these.
    await this.memory.forget(sessionId);
    return next;
  }

  private check({ model, systemPrompt }: SettingsChange): void {
    if (model && !this.allowedModels.includes(model)) {
      throw new InvalidInputError(`model must be one of: ${this.allowedModels.join(', ')} (got "${model}").`);
    }
    if (systemPrompt && Array.from(systemPrompt).length > this.config.maxPromptChars) {
      throw new InvalidInputError(`system_prompt must be at most ${this.config.maxPromptChars} characters.`);
    }
  }

  private async existing(scope: Scope, sessionId: string): Promise<void> {
    if (!(await this.sessions.findSession(scope, sessionId))) throw new SessionNotFoundError(sessionId);
  }

  private defaults(): SessionSettings {
    return defaultSettings(this.config.context.strategy);
  }
}
