import { randomUUID } from 'node:crypto';
import { SqlApiKeyStore } from '../../src/auth/adapters/sql-api-key-store';
import { SqlUserStore } from '../../src/auth/adapters/sql-user-store';
import { hourOf } from '../../src/database/db-time';
import { Sql } from '../../src/database/sql';
import { SqlSessionOrganiser } from '../../src/sessions/adapters/sql-session-organiser';
import { SqlSessionStore } from '../../src/sessions/adapters/sql-session-store';
import { AfinnSentimentScorer } from '../../src/sentiment/adapters/afinn-sentiment-scorer';
import { EVERYONE, ownedBy } from '../../src/sessions/domain/session';
import { SqlSessionSettingsStore } from '../../src/settings/adapters/sql-session-settings-store';
import { SqlSessionSummaryStore } from '../../src/settings/adapters/sql-session-summary-store';
import { SqlTemplateStore } from '../../src/settings/adapters/sql-template-store';
import { defaultSettings } from '../../src/settings/domain/session-settings';

/** Everything a store holds, in a form both dialects give alike (ISO times, numbers, counter shards summed). */
export interface StoreDump {
  users: { id: string; username: string; password_hash: string | null; role: string; created_at: string; oidc_subject: string | null }[];
  apiKeys: { id: string; user_id: string; name: string; key_hash: string; prefix: string; created_at: string; last_used_at: string | null }[];
  sessions: {
    session_id: string;
    chat_name: string;
    created_at: string;
    last_activity: string;
    message_count: number;
    owner_id: string | null;
    pinned: number;
    archived: number;
    version: number;
  }[];
  messages: { id: number; session_id: string; sender: string; content: string; timestamp: string; sentiment: number | null }[];
  activity: { hour: number; sessions: number; messages: number }[];
  /** The usage history by hour, shards summed. */
  usage: { hour: number; turns: number; new_sessions: number; active_users: number; model_calls: number; sentiment_count: number }[];
  /** Sessions by the hour of their last activity, shards summed, empty hours left out. */
  lastActivity: { hour: number; sessions: number }[];
  totals: { sessions: number; messages: number };
  settings: {
    session_id: string;
    system_prompt: string | null;
    model: string | null;
    temperature: number | null;
    memory_strategy: string | null;
    max_history: number | null;
    max_tokens: number | null;
    updated_at: string;
  }[];
  summaries: { session_id: string; summary: string; covers_until_message_id: number; updated_at: string }[];
  shares: { share_id: string; session_id: string; chat_name: string; messages: string; created_at: string }[];
  templates: (Record<string, string | number | null> & { id: string; created_at: string; updated_at: string })[];
  tags: { session_id: string; tag: string }[];
}

const iso = (value: string | Date) => new Date(value).toISOString();
const isoOrNull = (value: string | Date | null) => (value === null ? null : iso(value));
const numberOrNull = (value: number | string | null) => (value === null ? null : Number(value));

export async function dumpStore(sql: Sql): Promise<StoreDump> {
  const users = (await sql.all<StoreDump['users'][number]>('SELECT id, username, password_hash, role, created_at, oidc_subject FROM users ORDER BY id')).map((r) => ({
    ...r,
    created_at: iso(r.created_at),
  }));
  const apiKeys = (
    await sql.all<StoreDump['apiKeys'][number]>('SELECT id, user_id, name, key_hash, prefix, created_at, last_used_at FROM api_keys ORDER BY id')
  ).map((r) => ({ ...r, created_at: iso(r.created_at), last_used_at: isoOrNull(r.last_used_at) }));
  const sessions = (
    await sql.all<StoreDump['sessions'][number]>(
      'SELECT session_id, chat_name, created_at, last_activity, message_count, owner_id, pinned, archived, version FROM chat_sessions',
    )
  )
    .map((r) => ({
      ...r,
      created_at: iso(r.created_at),
      last_activity: iso(r.last_activity),
      message_count: Number(r.message_count),
      pinned: Number(r.pinned),
      archived: Number(r.archived),
      version: Number(r.version),
    }))
    .sort((a, b) => (a.session_id < b.session_id ? -1 : 1));
  const messages = (await sql.all<StoreDump['messages'][number]>('SELECT id, session_id, sender, content, "timestamp", sentiment FROM chat_messages ORDER BY id')).map((r) => ({
    ...r,
    id: Number(r.id),
    timestamp: iso(r.timestamp),
    sentiment: numberOrNull(r.sentiment),
  }));
  const usage = (
    await sql.all<StoreDump['usage'][number]>(
      `SELECT hour, SUM(turns) AS turns, SUM(new_sessions) AS new_sessions, SUM(active_users) AS active_users, SUM(model_calls) AS model_calls,
         SUM(sentiment_count) AS sentiment_count FROM usage_hourly GROUP BY hour ORDER BY hour`,
    )
  ).map((r) => ({
    hour: Number(r.hour),
    turns: Number(r.turns),
    new_sessions: Number(r.new_sessions),
    active_users: Number(r.active_users),
    model_calls: Number(r.model_calls),
    sentiment_count: Number(r.sentiment_count),
  }));
  const lastActivity = (await sql.all<StoreDump['lastActivity'][number]>('SELECT hour, SUM(sessions) AS sessions FROM session_last_activity GROUP BY hour ORDER BY hour'))
    .map((r) => ({ hour: Number(r.hour), sessions: Number(r.sessions) }))
    .filter((r) => r.sessions !== 0);
  const activity = (await sql.all<StoreDump['activity'][number]>('SELECT hour, SUM(sessions) AS sessions, SUM(messages) AS messages FROM chat_activity GROUP BY hour ORDER BY hour'))
    .map((r) => ({ hour: Number(r.hour), sessions: Number(r.sessions), messages: Number(r.messages) }))
    .filter((r) => r.sessions !== 0 || r.messages !== 0);
  const totals = await sql.get<{ sessions: number; messages: number }>('SELECT SUM(sessions) AS sessions, SUM(messages) AS messages FROM chat_totals');
  const settings = (
    await sql.all<StoreDump['settings'][number]>(
      'SELECT session_id, system_prompt, model, temperature, memory_strategy, max_history, max_tokens, updated_at FROM session_settings ORDER BY session_id',
    )
  ).map((r) => ({ ...r, temperature: numberOrNull(r.temperature), max_history: numberOrNull(r.max_history), max_tokens: numberOrNull(r.max_tokens), updated_at: iso(r.updated_at) }));
  const summaries = (
    await sql.all<StoreDump['summaries'][number]>('SELECT session_id, summary, covers_until_message_id, updated_at FROM session_summaries ORDER BY session_id')
  ).map((r) => ({ ...r, covers_until_message_id: Number(r.covers_until_message_id), updated_at: iso(r.updated_at) }));
  const templates = (
    await sql.all<StoreDump['templates'][number]>(
      'SELECT id, owner_id, name, category, system_prompt, starter_prompts, model, temperature, memory_strategy, max_history, max_tokens, created_at, updated_at FROM templates ORDER BY id',
    )
  ).map((r) => ({
    ...r,
    temperature: numberOrNull(r.temperature),
    max_history: numberOrNull(r.max_history),
    max_tokens: numberOrNull(r.max_tokens),
    created_at: iso(r.created_at),
    updated_at: iso(r.updated_at),
  }));
  const shares = (
    await sql.all<StoreDump['shares'][number]>('SELECT share_id, session_id, chat_name, messages, created_at FROM shared_sessions ORDER BY share_id')
  ).map((r) => ({ ...r, created_at: iso(r.created_at) }));
  // Sorted in JS: the dialects' collations order non-ASCII text differently.
  const tags = (await sql.all<StoreDump['tags'][number]>('SELECT session_id, tag FROM session_tags')).sort((a, b) =>
    a.session_id === b.session_id ? (a.tag < b.tag ? -1 : 1) : a.session_id < b.session_id ? -1 : 1,
  );
  const counted = { sessions: Number(totals!.sessions), messages: Number(totals!.messages) };
  return { users, apiKeys, sessions, messages, activity, usage, lastActivity, totals: counted, settings, summaries, shares, templates, tags };
}

/** The counters a dump's rows call for: they must equal the ones it holds. */
export function countersFromRows(dump: StoreDump): Pick<StoreDump, 'activity' | 'totals' | 'lastActivity'> & { messageCounts: Record<string, number> } {
  const byHour = new Map<number, { sessions: number; messages: number }>();
  const bucket = (at: string) => byHour.get(hourOf(new Date(at))) ?? byHour.set(hourOf(new Date(at)), { sessions: 0, messages: 0 }).get(hourOf(new Date(at)))!;
  const messageCounts: Record<string, number> = Object.fromEntries(dump.sessions.map((s) => [s.session_id, 0]));
  dump.sessions.forEach((s) => bucket(s.created_at).sessions++);
  dump.messages.forEach((m) => {
    bucket(m.timestamp).messages++;
    messageCounts[m.session_id]++;
  });
  const activity = [...byHour].map(([hour, c]) => ({ hour, ...c })).sort((a, b) => a.hour - b.hour);
  const lastHours = new Map<number, number>();
  for (const s of dump.sessions) lastHours.set(hourOf(new Date(s.last_activity)), (lastHours.get(hourOf(new Date(s.last_activity))) ?? 0) + 1);
  const lastActivity = [...lastHours].map(([hour, sessions]) => ({ hour, sessions })).sort((a, b) => a.hour - b.hour);
  return { activity, lastActivity, totals: { sessions: dump.sessions.length, messages: dump.messages.length }, messageCounts };
}

export function messageCountsOf(dump: StoreDump): Record<string, number> {
  return Object.fromEntries(dump.sessions.map((s) => [s.session_id, s.message_count]));
}

/** Text that catches an encoding slip: accents, emoji with joiners, CJK, right-to-left, quotes, separators. */
export const AWKWARD_TEXT = 'Grüße ✨ 👩‍👩‍👧 日本語 עברית "double" \'single\' \\back\\slash\n\ttab \u2028 line-sep \u00a0 — ~ % _';

/**
 * Two accounts (one signed in only by SSO) and API keys, one used; sessions over several hours and
 * days through the real store, owned by either account or by none: unicode, settings and a summary
 * on some, a cleared session (count 0, activity counters lowered) and a deleted one (so the id
 * sequence is past the highest row). Returns the highest message id ever handed out.
 */
export async function seedStore(sql: Sql): Promise<number> {
  const store = new SqlSessionStore(sql, new AfinnSentimentScorer());
  const at = (iso: string) => new Date(iso);
  const owners = await seedAccounts(sql);
  let highest = 0;
  const note = (id: number | undefined) => (highest = Math.max(highest, id ?? 0));
  const sessionIds: string[] = [];
  for (let s = 0; s < 5; s++) {
    const id = randomUUID();
    const started = await store.startTurn(ownedBy(owners[s % 2]), id, `${AWKWARD_TEXT} #${s}`, `Chat ${s} ✨`, at(`2026-11-2${s}T0${s}:59:59.${100 + s}Z`));
    note(started!.message.id);
    for (let m = 0; m < 4; m++) {
      const sender = m % 2 === 0 ? 'AI' : 'Human';
      note((await store.appendMessage(EVERYONE, id, sender, `${sender} ${m} ${AWKWARD_TEXT}`, at(`2026-11-2${s}T1${m}:00:00.00${m}Z`)))?.id);
    }
    if (s < 2) await seedSettings(sql, id, s, highest);
    sessionIds.push(id);
    if (s > 0) await seedOrganisation(sql, id, s);
  }
  await seedTemplates(sql, owners[0]);
  await sql.run('INSERT INTO shared_sessions (share_id, session_id, chat_name, messages, created_at) VALUES (?, ?, ?, ?, ?)', [
    'c2hhcmVkLXNuYXBzaG90LWlk',
    sessionIds[0],
    `${AWKWARD_TEXT} shared`,
    JSON.stringify([{ sender: 'Human', content: AWKWARD_TEXT, timestamp: '2026-11-25T08:00:00.000Z' }]),
    '2026-11-25T09:00:00.000Z',
  ]);
  const cleared = randomUUID();
  note((await store.startTurn(EVERYONE, cleared, 'soon gone', 'Cleared', at('2026-11-26T08:00:00.000Z')))!.message.id);
  note((await store.appendMessage(EVERYONE, cleared, 'AI', 'gone too', at('2026-11-26T08:00:01.000Z')))?.id);
  await store.clearMessages(EVERYONE, cleared);
  const deleted = randomUUID();
  note((await store.startTurn(EVERYONE, deleted, 'deleted', 'Deleted', at('2026-11-27T08:00:00.000Z')))!.message.id);
  await store.deleteSession(EVERYONE, deleted);
  return highest;
}

async function seedAccounts(sql: Sql): Promise<[string, string]> {
  const users = new SqlUserStore(sql);
  const keys = new SqlApiKeyStore(sql);
  const [ann, ben] = [randomUUID(), randomUUID()];
  await users.create({ id: ann, username: 'ann', passwordHash: 'scrypt$16384$8$1$c2FsdA$aGFzaA', at: new Date('2026-11-19T08:00:00.000Z') });
  await users.create({ id: ben, username: 'bén', passwordHash: null, at: new Date('2026-11-19T09:00:00.000Z') });
  await sql.run('UPDATE users SET oidc_subject = ? WHERE id = ?', ['sso|ben', ben]);
  await keys.create({ id: randomUUID(), userId: ben, name: 'ci ✨', keyHash: 'b'.repeat(64), prefix: 'csk_bbbb', at: new Date('2026-11-19T10:00:00.000Z') });
  await keys.create({ id: randomUUID(), userId: ann, name: 'laptop', keyHash: 'a'.repeat(64), prefix: 'csk_aaaa', at: new Date('2026-11-19T11:00:00.000Z') });
  await keys.ownerOf('a'.repeat(64), new Date('2026-11-19T12:00:00.123Z'), 60_000);
  return [ann, ben];
}

/** Settings of every kind on one session, only a prompt on another; a summary covering the first turn. */
async function seedSettings(sql: Sql, sessionId: string, s: number, lastMessageId: number): Promise<void> {
  const memory = s === 0 ? { strategy: 'summary' as const, maxHistory: 4, maxTokens: 2000 } : { strategy: 'window' as const, maxHistory: 10, maxTokens: null };
  const settings = { systemPrompt: `${AWKWARD_TEXT} be brief`, model: s === 0 ? 'gpt-4o-mini' : null, temperature: s === 0 ? 0.7 : null, memory };
  await new SqlSessionSettingsStore(sql).change(sessionId, settings, defaultSettings('window'), new Date(`2026-11-2${s}T20:00:00.000Z`));
  if (s === 0) await new SqlSessionSummaryStore(sql).save(sessionId, { summary: `${AWKWARD_TEXT} so far`, coversUntil: lastMessageId - 2 }, null, new Date('2026-11-20T20:00:01.000Z'));
}

/** A template with every field of one account's, a bare one made without accounts. */
async function seedTemplates(sql: Sql, ownerId: string): Promise<void> {
  const templates = new SqlTemplateStore(sql);
  const full = {
    name: `${AWKWARD_TEXT}`.slice(0, 100),
    category: 'learning ✨',
    systemPrompt: `${AWKWARD_TEXT} tutor`,
    starterPrompts: [AWKWARD_TEXT, 'two'],
    model: 'gpt-4o',
    temperature: 0.25,
    memory: { strategy: 'tokens' as const, maxHistory: null, maxTokens: 900 },
  };
  await templates.create(ownerId, randomUUID(), full, new Date('2026-11-22T08:00:00.000Z'));
  const bare = { ...full, starterPrompts: [], model: null, temperature: null, memory: null };
  await templates.create(null, randomUUID(), bare, new Date('2026-11-23T08:00:00.000Z'));
}

/** Pinned, archived, renamed and tagged sessions (several tags, unicode ones, a version past 1). */
async function seedOrganisation(sql: Sql, sessionId: string, s: number): Promise<void> {
  const organiser = new SqlSessionOrganiser(sql);
  await organiser.change(EVERYONE, sessionId, { pinned: s === 1, archived: s === 2, tags: ['work', `grüße-${s}`, '日本語'].slice(0, s) }, null);
  if (s === 3) await organiser.change(EVERYONE, sessionId, { chatName: `Renamed ${AWKWARD_TEXT}` }, null);
}

/** Back to the state the migrations leave: no rows, zero counters, ids from 1. */
export async function emptyStore(sql: Sql): Promise<void> {
  await sql.transaction(async (tx) => {
    await tx.run('DELETE FROM session_tags');
    await tx.run('DELETE FROM templates');
    await tx.run('DELETE FROM shared_sessions');
    await tx.run('DELETE FROM session_summaries');
    await tx.run('DELETE FROM session_settings');
    await tx.run('DELETE FROM chat_messages');
    await tx.run('DELETE FROM chat_sessions');
    await tx.run('DELETE FROM chat_activity');
    for (const table of ['usage_hourly', 'usage_latency', 'usage_active_users', 'session_last_activity']) await tx.run(`DELETE FROM ${table}`);
    await tx.run('DELETE FROM chat_totals');
    await tx.run('INSERT INTO chat_totals (id, sessions, messages) VALUES (1, 0, 0)');
    await tx.run('DELETE FROM api_keys');
    await tx.run('DELETE FROM users');
    if (sql.dialect === 'postgres') await tx.get("SELECT setval(pg_get_serial_sequence('chat_messages', 'id'), 1, false)");
    else await tx.run("DELETE FROM sqlite_sequence WHERE name = 'chat_messages'");
  });
}
