import { Injectable } from '@nestjs/common';
import { InvalidInputError, SessionNotFoundError, TemplateNotFoundError } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { ConversationMemory, MAX_WINDOW_TURNS, Turn, turnsFromMessages } from '../memory/domain/conversation-memory';
import { TokenCounter } from '../memory/domain/token-counter';
import { Scope } from '../sessions/domain/session';
import { SessionStore } from '../sessions/domain/session-store';
import { allowedModels, defaultSettings, MemoryStrategy, SessionSettings, SessionSettingsStore } from '../settings/domain/session-settings';
import { SessionSummary, SessionSummaryStore } from '../settings/domain/session-summary';
import { findTemplate, sessionSettingsFrom, TemplateStore } from '../settings/domain/template';
import { ModelOptions, PromptMessage } from './domain/chat-model';
import { buildContext, countTokens } from './domain/context';
import { TurnOverrides } from './domain/turns';

export interface TurnContext {
  readonly settings: SessionSettings;
  readonly messages: PromptMessage[];
  readonly options: ModelOptions;
  readonly strategy: MemoryStrategy;
  /** How many earlier turns this turn's window holds at most. */
  readonly windowTurns: number;
}

export interface ContextView {
  readonly messages: PromptMessage[];
  readonly tokens: number;
  readonly maxTokens: number | null;
  readonly strategy: MemoryStrategy;
  readonly summaryCoversUntil: number | null;
}

/** What the model sees of a session: its settings applied to its earlier turns. */
@Injectable()
export class ContextService {
  constructor(
    private readonly store: SessionStore,
    private readonly memory: ConversationMemory,
    private readonly settings: SessionSettingsStore,
    private readonly summaries: SessionSummaryStore,
    private readonly templates: TemplateStore,
    private readonly counter: TokenCounter,
    private readonly config: AppConfig,
  ) {}

  /**
   * The messages and options of a turn about to start; `maxHistory` (the request's) overrides the
   * session's. `starting`: the settings of a session this turn creates (from a template), which
   * has no turns yet. Throws ContextTooLongError when the prompt alone is over the token budget.
   */
  async forTurn(
    scope: Scope,
    sessionId: string | undefined,
    prompt: string,
    maxHistory?: number,
    starting?: SessionSettings,
    overrides?: TurnOverrides,
  ): Promise<TurnContext> {
    const known = starting ? undefined : sessionId;
    // One read of the held window gives both the settings and the turns. Only turns use the held
    // settings: they run under the session's lock, as changes of the settings do.
    const held = known ? await this.memory.heldWindow(known) : undefined;
    const settings = starting ?? (known ? ((held?.settings as SessionSettings | undefined) ?? (await this.settingsOf(known))) : this.defaults());
    const k = maxHistory ?? settings.memory.maxHistory;
    const turns = known ? (held?.recentTurns(k) ?? (await this.rebuiltWindow(scope, known, k))) : [];
    const summary = known ? await this.summaryOf(known, settings) : null;
    // The overrides shape this turn only: the settings returned (and held with the window) stay the session's.
    const effective = withOverrides(settings, overrides);
    const { messages } = buildContext({ ...this.input(effective, turns, prompt), summary: summary?.summary }, this.counter);
    return { settings, messages, options: modelOptions(effective), strategy: settings.memory.strategy, windowTurns: k };
  }

  /** The context of a turn that belongs to no session: the defaults, the given earlier turns, the prompt. */
  forUnstoredTurn(prompt: string, earlier: readonly Turn[], overrides?: TurnOverrides): Pick<TurnContext, 'messages' | 'options'> {
    const settings = withOverrides(this.defaults(), overrides);
    const { messages } = buildContext(this.input(settings, [...earlier], prompt), this.counter);
    return { messages, options: modelOptions(settings) };
  }

  /**
   * The settings a new session takes from a template. A template only starts a session: naming one
   * with a session that exists (and is the caller's) is refused. Call under the session's lock.
   */
  async fromTemplate(scope: Scope, sessionId: string | undefined, templateId: string): Promise<SessionSettings> {
    const template = await findTemplate(this.templates, scope, templateId);
    if (!template) throw new TemplateNotFoundError(templateId);
    if (sessionId && (await this.store.findSession(scope, sessionId))) {
      throw new InvalidInputError(`template_id starts a new session, but session ${sessionId} already exists: leave out template_id or session_id.`);
    }
    // OPENAI_MODELS may have changed since the template was saved: refuse rather than start on a model no longer offered.
    const allowed = allowedModels(this.config.llm);
    if (template.model !== null && !allowed.includes(template.model)) {
      throw new InvalidInputError(
        `Template "${template.name}" uses the model "${template.model}", which this service no longer allows (allowed: ${allowed.join(', ')}). Change the template's model.`,
      );
    }
    return sessionSettingsFrom(template, this.defaults());
  }

  /** The context the next turn would start from, without its prompt. */
  async preview(sessionId: string, scope: Scope): Promise<ContextView> {
    if (!(await this.store.findSession(scope, sessionId))) throw new SessionNotFoundError(sessionId);
    const settings = await this.settingsOf(sessionId);
    const turns = await this.window(scope, sessionId, settings.memory.maxHistory);
    const summary = await this.summaryOf(sessionId, settings);
    const input = { ...this.input(settings, turns, null), summary: summary?.summary };
    const { messages } = buildContext(input, this.counter);
    const windowed = settings.memory.strategy === 'window';
    return {
      messages,
      tokens: countTokens(messages, input.model, this.counter),
      maxTokens: windowed ? null : input.maxTokens,
      strategy: settings.memory.strategy,
      summaryCoversUntil: summary?.coversUntil ?? null,
    };
  }

  private async summaryOf(sessionId: string, settings: SessionSettings): Promise<SessionSummary | null> {
    return settings.memory.strategy === 'summary' ? this.summaries.find(sessionId) : null;
  }

  private input(settings: SessionSettings, turns: Turn[], prompt: string | null) {
    return {
      strategy: settings.memory.strategy,
      maxTokens: settings.memory.maxTokens ?? this.config.context.maxTokens,
      systemPrompt: settings.systemPrompt,
      turns,
      prompt,
      model: settings.model ?? this.config.llm.model,
    };
  }

  private async settingsOf(sessionId: string): Promise<SessionSettings> {
    return (await this.settings.find(sessionId)) ?? this.defaults();
  }

  private defaults(): SessionSettings {
    return defaultSettings(this.config.context.strategy);
  }

  /** The last `k` turns, from memory or, when the window is not held, rebuilt from the store. */
  private async window(scope: Scope, sessionId: string, k: number): Promise<Turn[]> {
    return (await this.memory.recentTurns(sessionId, k)) ?? this.rebuiltWindow(scope, sessionId, k);
  }

  /** The last `k` turns read from the store, held as the session's window from now on. */
  private async rebuiltWindow(scope: Scope, sessionId: string, k: number): Promise<Turn[]> {
    const stored = await this.store.recentMessages(scope, sessionId, 2 * MAX_WINDOW_TURNS + 1);
    if (stored.length === 0) return [];
    const turns = turnsFromMessages(stored);
    await this.memory.hold(sessionId, turns);
    return turns.slice(-k);
  }
}

function withOverrides(settings: SessionSettings, overrides: TurnOverrides | undefined): SessionSettings {
  if (!overrides) return settings;
  return {
    ...settings,
    model: overrides.model ?? settings.model,
    temperature: overrides.temperature ?? settings.temperature,
    systemPrompt: overrides.instructions ?? settings.systemPrompt,
  };
}

function modelOptions({ model, temperature }: SessionSettings): ModelOptions {
  return { ...(model === null ? {} : { model }), ...(temperature === null ? {} : { temperature }) };
}
