import { Scope } from '../../sessions/domain/session';
import { applyChange, MemoryStrategy, SessionSettings } from './session-settings';
import { BUILTIN_TEMPLATES } from './builtin-templates';

/** The memory a template asks for; a null field leaves the service default. */
export interface TemplateMemory {
  readonly strategy: MemoryStrategy | null;
  readonly maxHistory: number | null;
  readonly maxTokens: number | null;
}

/** What a template holds: the settings a session starts with, and how people find and start it. */
export interface TemplateDraft {
  readonly name: string;
  readonly category: string;
  readonly systemPrompt: string;
  readonly starterPrompts: readonly string[];
  readonly model: string | null;
  readonly temperature: number | null;
  readonly memory: TemplateMemory | null;
}

export interface Template extends TemplateDraft {
  readonly id: string;
  /** Defined in code and shared by everyone: it cannot be changed or deleted. */
  readonly builtin: boolean;
}

/** A change: absent fields stay; null resets model, temperature, memory (or one memory field). */
export interface TemplateChange {
  readonly name?: string;
  readonly category?: string;
  readonly systemPrompt?: string;
  readonly starterPrompts?: readonly string[];
  readonly model?: string | null;
  readonly temperature?: number | null;
  readonly memory?: Partial<TemplateMemory> | null;
}

/** A new template: name and system prompt required, the other fields default to nothing. */
export type NewTemplate = TemplateChange & Pick<TemplateDraft, 'name' | 'systemPrompt'>;

const BLANK: TemplateDraft = { name: '', category: '', systemPrompt: '', starterPrompts: [], model: null, temperature: null, memory: null };

export function newTemplate(input: NewTemplate): TemplateDraft {
  return changeTemplate(BLANK, input);
}

export function changeTemplate(current: TemplateDraft, change: TemplateChange): TemplateDraft {
  const { memory, ...rest } = change;
  const fields = Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined));
  return { ...current, ...fields, memory: memory === undefined ? current.memory : changeMemory(current.memory, memory) };
}

function changeMemory(current: TemplateMemory | null, change: Partial<TemplateMemory> | null): TemplateMemory | null {
  if (change === null) return null;
  const base = current ?? { strategy: null, maxHistory: null, maxTokens: null };
  const next = {
    strategy: change.strategy === undefined ? base.strategy : change.strategy,
    maxHistory: change.maxHistory === undefined ? base.maxHistory : change.maxHistory,
    maxTokens: change.maxTokens === undefined ? base.maxTokens : change.maxTokens,
  };
  return next.strategy === null && next.maxHistory === null && next.maxTokens === null ? null : next;
}

/** The settings a session started from `template` gets: the template's, the service defaults elsewhere. */
export function sessionSettingsFrom(template: TemplateDraft, defaults: SessionSettings): SessionSettings {
  const { systemPrompt, model, temperature, memory } = template;
  return applyChange(defaults, { systemPrompt, model, temperature, memory: memory ?? undefined }, defaults);
}

/**
 * Users' own templates. A scope with an owner sees that owner's templates only; the scope of
 * AUTH_MODE=off (owner null) sees every stored one. Built-in templates are not stored.
 */
export abstract class TemplateStore {
  /** Ordered by category, then name. */
  abstract list(scope: Scope): Promise<Template[]>;

  abstract find(scope: Scope, id: string): Promise<Template | null>;

  abstract create(ownerId: string | null, id: string, draft: TemplateDraft, at: Date): Promise<Template>;

  /** Replaces the template's fields; null when the scope has no such template. */
  abstract update(scope: Scope, id: string, draft: TemplateDraft, at: Date): Promise<Template | null>;

  abstract delete(scope: Scope, id: string): Promise<boolean>;

  /** Gives the templates made while accounts were off (no owner) to `ownerId`; how many. */
  abstract adoptUnowned(ownerId: string): Promise<number>;
}

/** A built-in template, else one of the scope's own; null when neither has `id`. */
export async function findTemplate(store: TemplateStore, scope: Scope, id: string): Promise<Template | null> {
  return BUILTIN_TEMPLATES.find((t) => t.id === id) ?? (await store.find(scope, id));
}

/** Ids of stored templates (UUIDs) and of built-in ones (`code-reviewer`), in lower case. */
export const TEMPLATE_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;
