import { Injectable } from '@nestjs/common';
import { toDbTime } from '../../database/db-time';
import { Sql } from '../../database/sql';
import { applyChange, MemoryStrategy, SessionSettings, SessionSettingsStore, SettingsChange } from '../domain/session-settings';

interface SettingsRow {
  system_prompt: string | null;
  model: string | null;
  temperature: number | string | null;
  memory_strategy: string;
  max_history: number;
  max_tokens: number | null;
}

const COLUMNS = 'system_prompt, model, temperature, memory_strategy, max_history, max_tokens';

/** One row per session that changed its settings, in portable SQL (SQLite or PostgreSQL). */
@Injectable()
export class SqlSessionSettingsStore extends SessionSettingsStore {
  constructor(private readonly sql: Sql) {
    super();
  }

  async find(sessionId: string): Promise<SessionSettings | null> {
    const row = await this.sql.get<SettingsRow>(
      `SELECT ${COLUMNS} FROM session_settings WHERE session_id = ?`,
      [sessionId],
    );
    return row ? toSettings(row) : null;
  }

  async findMany(sessionIds: readonly string[]): Promise<Map<string, SessionSettings>> {
    if (sessionIds.length === 0) return new Map();
    const rows = await this.sql.all<SettingsRow & { session_id: string }>(
      `SELECT session_id, ${COLUMNS} FROM session_settings WHERE session_id IN (${sessionIds.map(() => '?').join(', ')})`,
      sessionIds,
    );
    return new Map(rows.map((row) => [row.session_id, toSettings(row)]));
  }

  async change(sessionId: string, change: SettingsChange, defaults: SessionSettings, at: Date): Promise<SessionSettings | null> {
    const s = applyChange(defaults, change, defaults);
    // One statement: a new row gets the change over the defaults; an existing row has only the changed
    // columns set, so a concurrent change of other fields is never overwritten by a stale read.
    const sets = [...changedColumns(change), 'updated_at'].map((column) => `${column} = excluded.${column}`);
    const row = await this.sql.get<SettingsRow>(
      `INSERT INTO session_settings (session_id, system_prompt, model, temperature, memory_strategy, max_history, max_tokens, updated_at)
       SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM chat_sessions WHERE session_id = ?)
       ON CONFLICT (session_id) DO UPDATE SET ${sets.join(', ')}
       RETURNING ${COLUMNS}`,
      [sessionId, s.systemPrompt, s.model, s.temperature, s.memory.strategy, s.memory.maxHistory, s.memory.maxTokens, toDbTime(at), sessionId],
    ).catch((error: unknown) => {
      // The session went meanwhile (a delete racing this change on PostgreSQL): settings belong to a session.
      if (isForeignKeyViolation(error)) return undefined;
      throw error;
    });
    return row ? toSettings(row) : null;
  }
}

function changedColumns({ systemPrompt, model, temperature, memory = {} }: SettingsChange): string[] {
  const columns: [unknown, string][] = [
    [systemPrompt, 'system_prompt'],
    [model, 'model'],
    [temperature, 'temperature'],
    [memory.strategy, 'memory_strategy'],
    [memory.maxHistory, 'max_history'],
    [memory.maxTokens, 'max_tokens'],
  ];
  return columns.filter(([value]) => value !== undefined).map(([, column]) => column);
}

function toSettings(row: SettingsRow): SessionSettings {
  return {
    systemPrompt: row.system_prompt,
    model: row.model,
    temperature: row.temperature === null ? null : Number(row.temperature),
    memory: { strategy: row.memory_strategy as MemoryStrategy, maxHistory: Number(row.max_history), maxTokens: row.max_tokens === null ? null : Number(row.max_tokens) },
  };
}

/** PostgreSQL's 23503, or SQLite's foreign key constraint. */
function isForeignKeyViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}
