import { Injectable } from '@nestjs/common';
import { toDbTime } from '../../database/db-time';
import { Sql, SqlValue } from '../../database/sql';
import { Scope } from '../../sessions/domain/session';
import { MemoryStrategy } from '../domain/session-settings';
import { Template, TemplateDraft, TemplateStore } from '../domain/template';

interface TemplateRow {
  id: string;
  name: string;
  category: string;
  system_prompt: string;
  starter_prompts: string;
  model: string | null;
  temperature: number | string | null;
  memory_strategy: string | null;
  max_history: number | string | null;
  max_tokens: number | string | null;
}

const COLUMNS = 'id, name, category, system_prompt, starter_prompts, model, temperature, memory_strategy, max_history, max_tokens';

/** Users' templates, one row each, in portable SQL (SQLite or PostgreSQL); starter prompts as a JSON array. */
@Injectable()
export class SqlTemplateStore extends TemplateStore {
  constructor(private readonly sql: Sql) {
    super();
  }

  async list(scope: Scope): Promise<Template[]> {
    const { where, params } = owned(scope);
    const rows = await this.sql.all<TemplateRow>(`SELECT ${COLUMNS} FROM templates WHERE ${where} ORDER BY category, name, id`, params);
    return rows.map(toTemplate);
  }

  async find(scope: Scope, id: string): Promise<Template | null> {
    const { where, params } = owned(scope);
    const row = await this.sql.get<TemplateRow>(`SELECT ${COLUMNS} FROM templates WHERE id = ? AND ${where}`, [id, ...params]);
    return row ? toTemplate(row) : null;
  }

  async create(ownerId: string | null, id: string, draft: TemplateDraft, at: Date): Promise<Template> {
    await this.sql.run(
      `INSERT INTO templates (${COLUMNS}, owner_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [id, ...fields(draft), ownerId, toDbTime(at), toDbTime(at)],
    );
    return { id, ...draft, builtin: false };
  }

  async update(scope: Scope, id: string, draft: TemplateDraft, at: Date): Promise<Template | null> {
    const { where, params } = owned(scope);
    const changed = await this.sql.run(
      `UPDATE templates SET name = ?, category = ?, system_prompt = ?, starter_prompts = ?, model = ?, temperature = ?,
         memory_strategy = ?, max_history = ?, max_tokens = ?, updated_at = ? WHERE id = ? AND ${where}`,
      [...fields(draft), toDbTime(at), id, ...params],
    );
    return changed > 0 ? { id, ...draft, builtin: false } : null;
  }

  async delete(scope: Scope, id: string): Promise<boolean> {
    const { where, params } = owned(scope);
    return (await this.sql.run(`DELETE FROM templates WHERE id = ? AND ${where}`, [id, ...params])) > 0;
  }
  adoptUnowned(ownerId: string): Promise<number> {
    return this.sql.run('UPDATE templates SET owner_id = ? WHERE owner_id IS NULL', [ownerId]);
  }

}

function owned({ ownerId }: Scope): { where: string; params: SqlValue[] } {
  return ownerId === null ? { where: '1 = 1', params: [] } : { where: 'owner_id = ?', params: [ownerId] };
}

/** The columns after `id`, in COLUMNS order. */
function fields(d: TemplateDraft): SqlValue[] {
  const m = d.memory;
  return [d.name, d.category, d.systemPrompt, JSON.stringify(d.starterPrompts), d.model, d.temperature, m?.strategy ?? null, m?.maxHistory ?? null, m?.maxTokens ?? null];
}

const numberOrNull = (value: number | string | null) => (value === null ? null : Number(value));

function toTemplate(row: TemplateRow): Template {
  const memory = {
    strategy: row.memory_strategy as MemoryStrategy | null,
    maxHistory: numberOrNull(row.max_history),
    maxTokens: numberOrNull(row.max_tokens),
  };
  const noMemory = memory.strategy === null && memory.maxHistory === null && memory.maxTokens === null;
  return {
    id: row.id,
    name: row.name,
    category: row.category,
    systemPrompt: row.system_prompt,
    starterPrompts: JSON.parse(row.starter_prompts) as string[],
    model: row.model,
    temperature: numberOrNull(row.temperature),
    memory: noMemory ? null : memory,
    builtin: false,
  };
}
