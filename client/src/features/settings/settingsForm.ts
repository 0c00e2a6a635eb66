import type { MemoryStrategy, SessionSettings, SettingsChange } from '../../api/types';

/** The settings as the form edits them: text fields, where '' means "the service default". */
export interface SettingsForm {
  systemPrompt: string;
  model: string;
  temperature: string;
  strategy: MemoryStrategy;
  maxHistory: string;
  maxTokens: string;
}

export function toForm(s: SessionSettings): SettingsForm {
  return {
    systemPrompt: s.system_prompt ?? '',
    model: s.model ?? '',
    temperature: s.temperature === null ? '' : String(s.temperature),
    strategy: s.memory.strategy,
    maxHistory: String(s.memory.max_history),
    maxTokens: s.memory.max_tokens === null ? '' : String(s.memory.max_tokens),
  };
}

/** A token budget matters under `tokens` and `summary`; under `window` only the number of turns does. */
export const usesTokenBudget = (strategy: MemoryStrategy) => strategy !== 'window';

/**
 * The PATCH body, every field sent ('' as null: back to the default), or what is not a number.
 * Ranges are left to the server, whose 400 names the limits.
 */
export function toChange(f: SettingsForm): SettingsChange | { invalid: string } {
  const temperature = numberOrNull(f.temperature);
  const maxHistory = numberOrNull(f.maxHistory);
  const maxTokens = numberOrNull(f.maxTokens);
  if (Number.isNaN(temperature)) return { invalid: 'Temperature must be a number (or empty for the default).' };
  if (Number.isNaN(maxHistory)) return { invalid: 'Turns to keep must be a number (or empty for the default).' };
  if (Number.isNaN(maxTokens)) return { invalid: 'Token budget must be a number (or empty for the default).' };
  return {
    system_prompt: f.systemPrompt.trim() === '' ? null : f.systemPrompt,
    model: f.model === '' ? null : f.model,
    temperature,
    memory: { strategy: f.strategy, max_history: maxHistory, ...(usesTokenBudget(f.strategy) ? { max_tokens: maxTokens } : {}) },
  };
}

function numberOrNull(text: string): number | null {
  if (text.trim() === '') return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : NaN;
}
