// Fills a migrated chat database directly, with counters that match the rows, for the benchmark.
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';

const HOUR = 3_600_000;

/**
 * `sessions` sessions of `messagesEach` messages `spacingMs` apart, plus `bigSessions` of
 * `bigMessages` messages, spread over the last 30 days and more. `ownerOf(i)` gives the owner of the
 * i-th small session (none by default: AUTH_MODE=off data). Returns one small and one big id.
 */
export function seed(path, { sessions, messagesEach, bigSessions, bigMessages, spacingMs = 1000, ownerOf = () => null }) {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const insertSession = db.prepare('INSERT INTO chat_sessions (session_id, chat_name, created_at, last_activity, message_count, owner_id) VALUES (?, ?, ?, ?, ?, ?)');
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
  const make = (count, owner = null) => {
    const id = randomUUID();
    const start = now - count * spacingMs - Math.floor(Math.random() * 30 * 24) * HOUR;
    insertSession.run(id, `Benchmark conversation ${id.slice(0, 8)}`, new Date(start).toISOString(), new Date(start + (count - 1) * spacingMs).toISOString(), count, owner);
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
    for (let i = 0; i < sessions; i++) ids.small = make(messagesEach, ownerOf(i));
    const upsert = db.prepare('INSERT INTO chat_activity (hour, shard, sessions, messages) VALUES (?, 0, ?, ?) ON CONFLICT (hour, shard) DO UPDATE SET sessions = sessions + excluded.sessions, messages = messages + excluded.messages');
    for (const [hour, { sessions: s, messages: m }] of activity) upsert.run(hour, s, m);
    db.prepare('UPDATE chat_totals SET sessions = sessions + ?, messages = messages + ? WHERE id = 1').run(sessions + bigSessions, total);
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { ...ids, messages: total };
}

const SYLLABLES = ['ka', 'lo', 'mi', 'ten', 'ru', 'sa', 'vel', 'dor', 'pi', 'un', 'ber', 'qua', 'zo', 'fen', 'gri', 'tal'];

/** The word of a vocabulary rank: distinct, pronounceable, lowercase (rank 0 is the most frequent). */
export function vocabularyWord(rank) {
  let word = '';
  let n = rank + SYLLABLES.length;
  while (n > 0) {
    word += SYLLABLES[n % SYLLABLES.length];
    n = Math.floor(n / SYLLABLES.length);
  }
  return word;
}

/** A phrase planted in 1 message of 200, for the phrase queries. */
export const PLANTED_PHRASE = 'quarterly estimated payments';

/**
 * `sessions` sessions of `messagesEach` messages of ~16 words each, drawn from a vocabulary of
 * `vocabulary` words with a Zipf-like (log-uniform) frequency, as words of real text are. The
 * full-text index is filled by the migration's triggers as the rows go in.
 */
export function seedSearch(path, { sessions, messagesEach, vocabulary = 20_000, wordsEach = 16 }) {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const insertSession = db.prepare('INSERT INTO chat_sessions (session_id, chat_name, created_at, last_activity, message_count) VALUES (?, ?, ?, ?, ?)');
  const insertMessage = db.prepare('INSERT INTO chat_messages (session_id, sender, content, "timestamp") VALUES (?, ?, ?, ?)');
  // mulberry32: the same text on every run, without the precision loss of a big LCG in doubles.
  let state = 42;
  const random = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const word = () => vocabularyWord(Math.floor(Math.pow(vocabulary + 1, random())) - 1);
  const text = (n) => Array.from({ length: n }, word).join(' ');
  const now = Date.now();
  let messages = 0;
  const batch = db.transaction((from, to) => {
    for (let s = from; s < to; s++) {
      const id = randomUUID();
      const start = now - (sessions - s) * 60_000 * messagesEach;
      insertSession.run(id, text(5), new Date(start).toISOString(), new Date(start + messagesEach * 60_000).toISOString(), messagesEach);
      for (let i = 0; i < messagesEach; i++) {
        let content = text(wordsEach);
        if (random() < 0.005) content += ` about ${PLANTED_PHRASE}`;
        insertMessage.run(id, i % 2 ? 'AI' : 'Human', content, new Date(start + i * 60_000).toISOString());
      }
      messages += messagesEach;
    }
    db.prepare('UPDATE chat_totals SET sessions = sessions + ?, messages = messages + ? WHERE id = 1').run(to - from, (to - from) * messagesEach);
  });
  for (let s = 0; s < sessions; s += 1000) batch(s, Math.min(sessions, s + 1000));
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { messages };
}
