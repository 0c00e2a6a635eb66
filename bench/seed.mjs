// Fills a migrated chat database directly, with counters that match the rows, for the benchmark.
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';

const HOUR = 3_600_000;

/**
 * `sessions` sessions of `messagesEach` messages `spacingMs` apart, plus `bigSessions` of
 * `bigMessages` messages, spread over the last 30 days and more. Returns one small and one big id.
 */
export function seed(path, { sessions, messagesEach, bigSessions, bigMessages, spacingMs = 1000 }) {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const insertSession = db.prepare('INSERT INTO chat_sessions (session_id, chat_name, created_at, last_activity, message_count) VALUES (?, ?, ?, ?, ?)');
  const insertMessage = db.prepare('INSERT INTO chat_messages (session_id, sender, content, "timestamp") VALUES (?, ?, ?, ?)');
  const activity = new Map();
  const bump = (at, sessionsDelta, messagesDelta) => {
    const hour = Math.floor(at / HOUR);
    const entry = activity.get(hour) ?? { sessions: 0, messages: 0 };
    entry.sessions += sessionsDelta;
    entry.messages += messagesDelta;
    activity.set(hour, entry);
  };
  const now = Date.now();
  let total = 0;
  const ids = { small: undefined, big: undefined };
  const make = (count) => {
    const id = randomUUID();
    const start = now - count * spacingMs - Math.floor(Math.random() * 30 * 24) * HOUR;
    insertSession.run(id, `Benchmark conversation ${id.slice(0, 8)}`, new Date(start).toISOString(), new Date(start + (count - 1) * spacingMs).toISOString(), count);
    bump(start, 1, 0);
    for (let i = 0; i < count; i++) {
      const at = start + i * spacingMs;
      insertMessage.run(id, i % 2 ? 'AI' : 'Human', `Message ${i} of a benchmark conversation, long enough to look like a real question or answer.`, new Date(at).toISOString());
      bump(at, 0, 1);
    }
    total += count;
    return id;
  };
  db.transaction(() => {
    for (let i = 0; i < bigSessions; i++) ids.big = make(bigMessages);
    for (let i = 0; i < sessions; i++) ids.small = make(messagesEach);
    const upsert = db.prepare('INSERT INTO chat_activity (hour, shard, sessions, messages) VALUES (?, 0, ?, ?) ON CONFLICT (hour, shard) DO UPDATE SET sessions = sessions + excluded.sessions, messages = messages + excluded.messages');
    for (const [hour, { sessions: s, messages: m }] of activity) upsert.run(hour, s, m);
    db.prepare('UPDATE chat_totals SET sessions = sessions + ?, messages = messages + ? WHERE id = 1').run(sessions + bigSessions, total);
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { ...ids, messages: total };
}
