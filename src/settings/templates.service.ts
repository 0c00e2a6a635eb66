import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { InvalidInputError, TemplateNotFoundError, TemplateReadOnlyError } from '../common/domain-error';
import { Scope } from '../sessions/domain/session';
import { BUILTIN_TEMPLATES } from './domain/builtin-templates';
import { changeTemplate, findTemplate, newTemplate, NewTemplate, Template, TemplateChange, TemplateDraft, TemplateStore } from './domain/template';
import { SettingsRules } from './settings-rules';

/** The built-in templates and the caller's own: list, read, create, change, delete. */
@Injectable()
export class TemplatesService {
  constructor(
    private readonly store: TemplateStore,
    private readonly rules: SettingsRules,
    private readonly clock: Clock,
  ) {}

  /** Built-in first, then the caller's own by category and name. */
  async list(scope: Scope): Promise<Template[]> {
    return [...BUILTIN_TEMPLATES, ...(await this.store.list(scope))];
  }

  async get(scope: Scope, id: string): Promise<Template> {
    const template = await findTemplate(this.store, scope, id);
    if (!template) throw new TemplateNotFoundError(id);
    return template;
  }

  create(scope: Scope, input: NewTemplate): Promise<Template> {
    const draft = newTemplate(input);
    this.check(draft);
    return this.store.create(scope.ownerId, randomUUID(), draft, this.clock.now());
  }

  async change(scope: Scope, id: string, change: TemplateChange): Promise<Template> {
    const next = changeTemplate(await this.own(scope, id), change);
    this.check(next);
    const changed = await this.store.update(scope, id, next, this.clock.now());
    // Deleted between the read and the write.
    if (!changed) throw new TemplateNotFoundError(id);
    return changed;
  }

  async delete(scope: Scope, id: string): Promise<void> {
    await this.own(scope, id);
    if (!(await this.store.delete(scope, id))) throw new TemplateNotFoundError(id);
  }

  /** A template the caller may change: its own, not a built-in one. */
  private async own(scope: Scope, id: string): Promise<Template> {
    const template = await this.get(scope, id);
    if (template.builtin) throw new TemplateReadOnlyError(id);
    return template;
  }

  private check(draft: TemplateDraft): void {
    for (const [field, value] of [['name', draft.name], ['category', draft.category], ['system_prompt', draft.systemPrompt]] as const) {
      if (value.trim() === '') throw new InvalidInputError(`${field} must not be blank.`);
    }
    if (draft.starterPrompts.some((p) => p.trim() === '')) throw new InvalidInputError('starter_prompts must not hold a blank prompt.');
    this.rules.check(draft);
  }
}
