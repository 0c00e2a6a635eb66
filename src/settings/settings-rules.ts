import { Injectable } from '@nestjs/common';
import { InvalidInputError } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { allowedModels, defaultSettings, SessionSettings } from './domain/session-settings';

/** The checks the DTOs cannot make (they depend on the configuration), shared by session settings and templates. */
@Injectable()
export class SettingsRules {
  constructor(private readonly config: AppConfig) {}

  get allowedModels(): string[] {
    return allowedModels(this.config.llm);
  }

  check({ model, systemPrompt }: { model?: string | null; systemPrompt?: string | null }): void {
    if (model && !this.allowedModels.includes(model)) {
      throw new InvalidInputError(`model must be one of: ${this.allowedModels.join(', ')} (got "${model}").`);
    }
    if (systemPrompt && Array.from(systemPrompt).length > this.config.maxPromptChars) {
      throw new InvalidInputError(`system_prompt must be at most ${this.config.maxPromptChars} characters.`);
    }
  }

  /** The settings of a session that never chose its own (MEMORY_STRATEGY). */
  defaults(): SessionSettings {
    return defaultSettings(this.config.context.strategy);
  }
}
