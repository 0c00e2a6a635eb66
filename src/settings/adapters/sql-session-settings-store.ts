import { Injectable } from '@nestjs/common';
import { toDbTime } from '../../database/db-time';
import { Sql } from '../../database/sql';
import { MemoryStrategy, SessionSettings, SessionSettingsStore } from '../domain/session-settings';

interface SettingsRow {
  system_prompt: string | null;
  model: string | null;
  temperature: number | string | null;
  memory_strategy: string;
  max_history: number;
  max_tokens: number | null;
}

/** One row per session that changed its settings, in portable SQL (SQLite or PostgreSQL). */
@Injectable()
export class SqlSessionSettingsStore extends SessionSettingsStore {
  constructor(private readonly sql: Sql) {
    super();
  }

  async find(sessionId: string): Promise<SessionSettings | null> {
    const row = await this.sql.get<SettingsRow>(
      'SELECT system_prompt, model, temperature, memory_strategy, max_history, max_tokens FROM session_settings WHERE session_id = ?',
      [sessionId],
    );
    return row ? toSettings(row) : null;
  }

  async save(sessionId: string, s: SessionSettings, at: Date): Promise<void> {
    await this.sql.run(
      `INSERT INTO session_settings (session_id, system_prompt, model, temperature, memory_strategy, max_history, max_tokens, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (session_id) DO UPDATE SET system_prompt = excluded.system_prompt, model = excluded.model,
         temperature = excluded.temperature, memory_strategy = excluded.memory_strategy, max_history = excluded.max_history,
         max_tokens = excluded.max_tokens, updated_at = excluded.updated_at`,
      [sessionId, s.systemPrompt, s.model, s.temperature, s.memory.strategy, s.memory.maxHistory, s.memory.maxTokens, toDbTime(at)],
    );
  }
}

function toSettings(row: SettingsRow): SessionSettings {
  return {
    systemPrompt: row.system_prompt,
    model: row.model,
    temperature: row.temperature === null ? null : Number(row.temperature),
    memory: { strategy: row.memory_strategy as MemoryStrategy, maxHistory: Number(row.max_history), maxTokens: row.max_tokens === null ? null : Number(row.max_tokens) },
  };
}
