import { randomUUID } from 'node:crypto';
import { hourOf } from '../../src/database/db-time';
import { Sql } from '../../src/database/sql';
import { SqlSessionStore } from '../../src/sessions/adapters/sql-session-store';
import { EVERYONE } from '../../src/sessions/domain/session';

/** Everything a store holds, in a form both dialects give alike (ISO times, numbers, counter shards summed). */
export interface StoreDump {
  sessions: { session_id: string; chat_name: string; created_at: string; last_activity: string; message_count: number }[];
  messages: { id: number; session_id: string; sender: string; content: string; timestamp: string }[];
  activity: { hour: number; sessions: number; messages: number }[];
  totals: { sessions: number; messages: number };
}

const iso = (value: string | Date) => new Date(value).toISOString();

export async function dumpStore(sql: Sql): Promise<StoreDump> {
  const sessions = (await sql.all<StoreDump['sessions'][number]>('SELECT session_id, chat_name, created_at, last_activity, message_count FROM chat_sessions'))
    .map((r) => ({ ...r, created_at: iso(r.created_at), last_activity: iso(r.last_activity), message_count: Number(r.message_count) }))
    .sort((a, b) => (a.session_id < b.session_id ? -1 : 1));
  const messages = (await sql.all<StoreDump['messages'][number]>('SELECT id, session_id, sender, content, "timestamp" FROM chat_messages ORDER BY id')).map((r) => ({
    ...r,
    id: Number(r.id),
    timestamp: iso(r.timestamp),
  }));
  const activity = (await sql.all<StoreDump['activity'][number]>('SELECT hour, SUM(sessions) AS sessions, SUM(messages) AS messages FROM chat_activity GROUP BY hour ORDER BY hour'))
    .map((r) => ({ hour: Number(r.hour), sessions: Number(r.sessions), messages: Number(r.messages) }))
    .filter((r) => r.sessions !== 0 || r.messages !== 0);
  const totals = await sql.get<{ sessions: number; messages: number }>('SELECT SUM(sessions) AS sessions, SUM(messages) AS messages FROM chat_totals');
  return { sessions, messages, activity, totals: { sessions: Number(totals!.sessions), messages: Number(totals!.messages) } };
}

/** The counters a dump's rows call for: they must equal the ones it holds. */
export function countersFromRows(dump: StoreDump): Pick<StoreDump, 'activity' | 'totals'> & { messageCounts: Record<string, number> } {
  const byHour = new Map<number, { sessions: number; messages: number }>();
  const bucket = (at: string) => byHour.get(hourOf(new Date(at))) ?? byHour.set(hourOf(new Date(at)), { sessions: 0, messages: 0 }).get(hourOf(new Date(at)))!;
  const messageCounts: Record<string, number> = Object.fromEntries(dump.sessions.map((s) => [s.session_id, 0]));
  dump.sessions.forEach((s) => bucket(s.created_at).sessions++);
  dump.messages.forEach((m) => {
    bucket(m.timestamp).messages++;
    messageCounts[m.session_id]++;
  });
  const activity = [...byHour].map(([hour, c]) => ({ hour, ...c })).sort((a, b) => a.hour - b.hour);
  return { activity, totals: { sessions: dump.sessions.length, messages: dump.messages.length }, messageCounts };
}

export function messageCountsOf(dump: StoreDump): Record<string, number> {
  return Object.fromEntries(dump.sessions.map((s) => [s.session_id, s.message_count]));
}

/** Text that catches an encoding slip: accents, emoji with joiners, CJK, right-to-left, quotes, separators. */
export const AWKWARD_TEXT = 'Grüße ✨ 👩‍👩‍👧 日本語 עברית "double" \'single\' \\back\\slash\n\ttab \u2028 line-sep \u00a0 — ~ % _';

/**
 * Sessions over several hours and days through the real store: unicode, a cleared session (count 0,
 * activity counters lowered) and a deleted one (so the id sequence is past the highest row).
 * Returns the highest message id ever handed out.
 */
export async function seedStore(sql: Sql): Promise<number> {
  const store = new SqlSessionStore(sql);
  const at = (iso: string) => new Date(iso);
  let highest = 0;
  const note = (id: number | undefined) => (highest = Math.max(highest, id ?? 0));
  for (let s = 0; s < 5; s++) {
    const id = randomUUID();
    const started = await store.startTurn(EVERYONE, id, `${AWKWARD_TEXT} #${s}`, `Chat ${s} ✨`, at(`2026-11-2${s}T0${s}:59:59.${100 + s}Z`));
    note(started!.message.id);
    for (let m = 0; m < 4; m++) {
      const sender = m % 2 === 0 ? 'AI' : 'Human';
      note((await store.appendMessage(EVERYONE, id, sender, `${sender} ${m} ${AWKWARD_TEXT}`, at(`2026-11-2${s}T1${m}:00:00.00${m}Z`)))?.id);
    }
  }
  const cleared = randomUUID();
  note((await store.startTurn(EVERYONE, cleared, 'soon gone', 'Cleared', at('2026-11-26T08:00:00.000Z')))!.message.id);
  note((await store.appendMessage(EVERYONE, cleared, 'AI', 'gone too', at('2026-11-26T08:00:01.000Z')))?.id);
  await store.clearMessages(EVERYONE, cleared);
  const deleted = randomUUID();
  note((await store.startTurn(EVERYONE, deleted, 'deleted', 'Deleted', at('2026-11-27T08:00:00.000Z')))!.message.id);
  await store.deleteSession(EVERYONE, deleted);
  return highest;
}

/** Back to the state the migrations leave: no rows, zero counters, ids from 1. */
export async function emptyStore(sql: Sql): Promise<void> {
  await sql.transaction(async (tx) => {
    await tx.run('DELETE FROM chat_messages');
    await tx.run('DELETE FROM chat_sessions');
    await tx.run('DELETE FROM chat_activity');
    await tx.run('DELETE FROM chat_totals');
    await tx.run('INSERT INTO chat_totals (id, sessions, messages) VALUES (1, 0, 0)');
    if (sql.dialect === 'postgres') await tx.get("SELECT setval(pg_get_serial_sequence('chat_messages', 'id'), 1, false)");
    else await tx.run("DELETE FROM sqlite_sequence WHERE name = 'chat_messages'");
  });
}
