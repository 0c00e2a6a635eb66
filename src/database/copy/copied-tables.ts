import { Sql } from '../sql';
import { SnapshotReader } from './snapshot-reader';

/** How a column's values are carried: text is checked for what the target can hold, times normalized. */
export type ColumnKind = 'text' | 'time' | 'number';

/** A table the copy carries whole, with its ids; paged in the order of `key`. */
export interface CopiedTable {
  readonly table: string;
  /** A unique column (or columns, compared as a row value) to page by. */
  readonly key: string | readonly string[];
  /** The kind of the key, or of each key column in order. */
  readonly keyKind: 'text' | 'number' | readonly ('text' | 'number')[];
  /** Every column the newest schema has. */
  readonly columns: Readonly<Record<string, ColumnKind>>;
  /** What one row is, for errors that name it with its key. */
  readonly label: string;
  /** Counted in the copy's progress under this name. */
  readonly progress?: 'sessions' | 'messages';
}

/**
 * Everything a store holds, parents before children (the foreign keys): accounts and their API keys
 * (hashes only), sessions with their owners and organisation, messages, each session's settings,
 * summary, tags and shared snapshots, and users' session templates.
 * The usage history (usage_*) is copied as it is: it also counts what deleted sessions did, and
 * model latency and tokens, which no row holds. The other counters are not copied: the target
 * recounts them from its rows (see counters.ts).
 */
export const COPIED_TABLES: readonly CopiedTable[] = [
  {
    table: 'users',
    label: 'user',
    key: 'id',
    keyKind: 'text',
    columns: { id: 'text', username: 'text', password_hash: 'text', role: 'text', created_at: 'time', oidc_issuer: 'text', oidc_subject: 'text' },
  },
  {
    table: 'api_keys',
    label: 'API key',
    key: 'id',
    keyKind: 'text',
    columns: { id: 'text', user_id: 'text', name: 'text', key_hash: 'text', prefix: 'text', created_at: 'time', last_used_at: 'time' },
  },
  {
    table: 'chat_sessions',
    label: 'session',
    key: 'session_id',
    keyKind: 'text',
    columns: {
      session_id: 'text',
      chat_name: 'text',
      created_at: 'time',
      last_activity: 'time',
      message_count: 'number',
      owner_id: 'text',
      pinned: 'number',
      archived: 'number',
      version: 'number',
      metadata: 'text',
    },
    progress: 'sessions',
  },
  {
    table: 'chat_messages',
    label: 'message',
    key: 'id',
    keyKind: 'number',
    columns: { id: 'number', session_id: 'text', sender: 'text', content: 'text', timestamp: 'time', sentiment: 'number' },
    progress: 'messages',
  },
  {
    table: 'session_settings',
    label: 'the settings of session',
    key: 'session_id',
    keyKind: 'text',
    columns: {
      session_id: 'text',
      system_prompt: 'text',
      model: 'text',
      temperature: 'number',
      memory_strategy: 'text',
      max_history: 'number',
      max_tokens: 'number',
      updated_at: 'time',
    },
  },
  {
    table: 'shared_sessions',
    label: 'shared conversation',
    key: 'share_id',
    keyKind: 'text',
    columns: { share_id: 'text', session_id: 'text', chat_name: 'text', messages: 'text', created_at: 'time' },
  },
  {
    table: 'templates',
    label: 'template',
    key: 'id',
    keyKind: 'text',
    columns: {
      id: 'text',
      owner_id: 'text',
      name: 'text',
      category: 'text',
      system_prompt: 'text',
      starter_prompts: 'text',
      model: 'text',
      temperature: 'number',
      memory_strategy: 'text',
      max_history: 'number',
      max_tokens: 'number',
      created_at: 'time',
      updated_at: 'time',
    },
  },
  {
    table: 'session_summaries',
    label: 'the summary of session',
    key: 'session_id',
    keyKind: 'text',
    columns: { session_id: 'text', summary: 'text', covers_until_message_id: 'number', updated_at: 'time' },
  },
  {
    table: 'session_tags',
    label: 'the tag of session',
    key: ['session_id', 'tag'],
    keyKind: 'text',
    columns: { session_id: 'text', tag: 'text' },
  },
  {
    table: 'usage_hourly',
    label: 'the usage of hour',
    key: ['hour', 'shard'],
    keyKind: 'number',
    columns: {
      hour: 'number',
      shard: 'number',
      turns: 'number',
      new_sessions: 'number',
      active_users: 'number',
      active_users_day: 'number',
      model_calls: 'number',
      model_errors: 'number',
      latency_ms_sum: 'number',
      tokens_in: 'number',
      tokens_out: 'number',
      sentiment_sum: 'number',
      sentiment_count: 'number',
    },
  },
  {
    table: 'usage_latency',
    label: 'the model latency of hour',
    key: ['hour', 'shard', 'bucket'],
    keyKind: 'number',
    columns: { hour: 'number', shard: 'number', bucket: 'number', calls: 'number' },
  },
  {
    table: 'usage_active_users',
    label: 'the active user of period',
    key: ['span', 'period_start', 'user_key'],
    keyKind: ['number', 'number', 'text'],
    columns: { span: 'number', period_start: 'number', user_key: 'text' },
  },
];

/**
 * The columns of each copied table that the source has: a store of an older schema lacks the newer
 * tables and columns, which the target then leaves empty (owners null: adopted by the first admin).
 */
export async function sourceColumns(reader: SnapshotReader, dialect: Sql['dialect']): Promise<Map<string, string[]>> {
  const rows =
    dialect === 'postgres'
      ? await reader.all<{ t: string; c: string }>('SELECT table_name AS t, column_name AS c FROM information_schema.columns WHERE table_schema = current_schema()')
      : await reader.all<{ t: string; c: string }>(
          "SELECT m.name AS t, p.name AS c FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table'",
        );
  const present = new Set(rows.map((r) => `${r.t}.${r.c}`));
  const found = new Map<string, string[]>();
  for (const { table, columns } of COPIED_TABLES) {
    const names = Object.keys(columns).filter((c) => present.has(`${table}.${c}`));
    if (names.length > 0) found.set(table, names);
  }
  return found;
}
