// Fills a migrated chat database directly, with counters that match the rows, for the benchmark.
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';

const HOUR = 3_600_000;
const INSERT_MESSAGE = 'INSERT INTO chat_messages (session_id, sender, content, "timestamp", sentiment) VALUES (?, ?, ?, ?, ?)';

/**
 * The service scores a human message's sentiment as it stores it (and scores older ones in the
 * background): seeded rows get the same score from the built scorer, or every benchmark part would
 * also time the background scoring of a whole corpus.
 */
let scorer;
/** Conversations alternate: a question, then its answer. */
const senderAt = (i) => (i % 2 ? 'AI' : 'Human');
function sentimentOf(sender, content) {
  if (sender !== 'Human') return null;
  scorer ??= new (createRequire(import.meta.url)('../dist/sentiment/adapters/afinn-sentiment-scorer.js').AfinnSentimentScorer)();
  return scorer.score(content);
}

/** A migrated SQLite file opened for bulk writes: nothing is lost but a crash's last transactions. */
function openForSeeding(path) {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  return db;
}

/**
 * `sessions` sessions of `messagesEach` messages `spacingMs` apart, plus `bigSessions` of
 * `bigMessages` messages, spread over the last 30 days and more. `ownerOf(i)` gives the owner of the
 * i-th small session (none by default: AUTH_MODE=off data). Returns one small and one big id.
 */
export function seed(path, { sessions, messagesEach, bigSessions, bigMessages, spacingMs = 1000, ownerOf = () => null }) {
  const db = openForSeeding(path);
  const insertSession = db.prepare('INSERT INTO chat_sessions (session_id, chat_name, created_at, last_activity, message_count, owner_id) VALUES (?, ?, ?, ?, ?, ?)');
  const insertMessage = db.prepare(INSERT_MESSAGE);
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
      const content = `Message ${i} of a benchmark conversation, long enough to look like a real question or answer.`;
      insertMessage.run(id, senderAt(i), content, new Date(at).toISOString(), sentimentOf(senderAt(i), content));
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
  recountLastActivitySqlite(db);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { ...ids, messages: total };
}

/**
 * The hourly buckets of sessions' last activity (`session_last_activity`, behind recent_sessions_24h),
 * recounted from the rows as copy-store does: the seeders write sessions directly, not through the store.
 */
const LAST_ACTIVITY = {
  sqlite: `INSERT INTO session_last_activity (hour, shard, sessions) SELECT CAST(strftime('%s', last_activity) AS INTEGER) / 3600, 0, COUNT(*) FROM chat_sessions GROUP BY 1`,
  postgres: `INSERT INTO session_last_activity (hour, shard, sessions) SELECT CAST(FLOOR(EXTRACT(EPOCH FROM last_activity) / 3600) AS INTEGER), 0, COUNT(*) FROM chat_sessions GROUP BY 1`,
};

function recountLastActivitySqlite(db) {
  db.transaction(() => {
    db.exec('DELETE FROM session_last_activity');
    db.exec(LAST_ACTIVITY.sqlite);
  })();
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
  const db = openForSeeding(path);
  const insertSession = db.prepare('INSERT INTO chat_sessions (session_id, chat_name, created_at, last_activity, message_count) VALUES (?, ?, ?, ?, ?)');
  const insertMessage = db.prepare(INSERT_MESSAGE);
  const random = randomFrom(42);
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
        insertMessage.run(id, senderAt(i), content, new Date(start + i * 60_000).toISOString(), sentimentOf(senderAt(i), content));
      }
      messages += messagesEach;
    }
    db.prepare('UPDATE chat_totals SET sessions = sessions + ?, messages = messages + ? WHERE id = 1').run(to - from, (to - from) * messagesEach);
  });
  for (let s = 0; s < sessions; s += 1000) batch(s, Math.min(sessions, s + 1000));
  recountLastActivitySqlite(db);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { messages };
}

/** mulberry32: the same corpus on every run, without the precision loss of a big LCG in doubles. */
function randomFrom(seedValue) {
  let state = seedValue;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/**
 * A realistic corpus, session by session: `sessions` sessions holding exactly `messages` messages,
 * their lengths varying around the mean (each at least 2: a question and its answer); questions of
 * 4–16 and answers of 8–32 words from a Zipf-like vocabulary (the phrase planted in 1 of 200); each
 * session starting between `ageDays[0]` and `ageDays[1]` days ago, its messages 30–120 s apart.
 */
export function* corpus({ sessions, messages, ageDays = [0, 30], now = Date.now(), seedValue = 7, vocabulary = 20_000 }) {
  const random = randomFrom(seedValue);
  const words = Array.from({ length: vocabulary }, (_, rank) => vocabularyWord(rank));
  const text = (min, max) => {
    const n = min + Math.floor(random() * (max - min + 1));
    let s = words[Math.floor(Math.pow(vocabulary + 1, random())) - 1];
    for (let i = 1; i < n; i++) s += ` ${words[Math.floor(Math.pow(vocabulary + 1, random())) - 1]}`;
    return s;
  };
  const base = Math.floor(messages / sessions);
  let left = messages;
  let swing = 0;
  for (let s = 0; s < sessions; s++) {
    // Pairs of sessions lengthen and shorten by the same amount, so the total stays exact.
    if (s % 2 === 0) swing = Math.floor(random() * Math.max(0, base - 2));
    let count = s === sessions - 1 ? left : s % 2 === 0 && s + 1 < sessions ? base + swing : base - swing;
    count = Math.max(Math.min(count, left - 2 * (sessions - s - 1)), Math.min(2, left));
    left -= count;
    const age = (ageDays[0] + random() * (ageDays[1] - ageDays[0])) * 24 * HOUR;
    let at = now - age - count * 120_000;
    const createdAt = at;
    const rows = [];
    for (let i = 0; i < count; i++) {
      let content = i % 2 ? text(8, 32) : text(4, 16);
      if (random() < 0.005) content += ` about ${PLANTED_PHRASE}`;
      rows.push({ sender: senderAt(i), content, at });
      at += 30_000 + Math.floor(random() * 90_000);
    }
    yield { id: randomUUID(), name: text(2, 5), createdAt, lastActivity: rows.length ? rows[rows.length - 1].at : createdAt, messages: rows };
  }
}

/** Hourly activity and totals of what is seeded, in the service's counter rows (shard 0, totals row 1). */
class SeedCounters {
  byHour = new Map();
  sessions = 0;
  messages = 0;
  add(session) {
    this.bump(session.createdAt, 1, 0);
    for (const m of session.messages) this.bump(m.at, 0, 1);
    this.sessions += 1;
    this.messages += session.messages.length;
  }
  bump(at, sessions, messages) {
    const hour = Math.floor(at / HOUR);
    const entry = this.byHour.get(hour) ?? { sessions: 0, messages: 0 };
    entry.sessions += sessions;
    entry.messages += messages;
    this.byHour.set(hour, entry);
  }
}

const ACTIVITY_UPSERT = `ON CONFLICT (hour, shard) DO UPDATE SET sessions = chat_activity.sessions + excluded.sessions,
  messages = chat_activity.messages + excluded.messages`;

/** The first session with more than `min` messages (for the history page), else the longest. */
function historyPick(best, session, min = 60) {
  if (!best || (best.count <= min && session.messages.length > best.count)) return { id: session.id, count: session.messages.length };
  return best;
}

/**
 * Seeds `corpus(shape)` into a migrated SQLite file: 500 sessions per transaction, the full-text
 * index filled by the migration's triggers, `message_count`, `chat_activity` and `chat_totals` added
 * to as the service's writes add to them. Returns the counts and a session for the history page.
 */
export function seedCorpusSqlite(path, shape) {
  const db = openForSeeding(path);
  const insertSession = db.prepare('INSERT INTO chat_sessions (session_id, chat_name, created_at, last_activity, message_count) VALUES (?, ?, ?, ?, ?)');
  const insertMessage = db.prepare(INSERT_MESSAGE);
  const counters = new SeedCounters();
  let history;
  const write = db.transaction((batch) => {
    for (const s of batch) {
      insertSession.run(s.id, s.name, new Date(s.createdAt).toISOString(), new Date(s.lastActivity).toISOString(), s.messages.length);
      for (const m of s.messages) insertMessage.run(s.id, m.sender, m.content, new Date(m.at).toISOString(), sentimentOf(m.sender, m.content));
      counters.add(s);
      history = historyPick(history, s);
    }
  });
  let batch = [];
  for (const session of corpus(shape)) {
    batch.push(session);
    if (batch.length === 500) {
      write(batch);
      batch = [];
    }
  }
  write(batch);
  db.transaction(() => {
    const upsert = db.prepare(`INSERT INTO chat_activity (hour, shard, sessions, messages) VALUES (?, 0, ?, ?) ${ACTIVITY_UPSERT}`);
    for (const [hour, { sessions, messages }] of counters.byHour) upsert.run(hour, sessions, messages);
    db.prepare('UPDATE chat_totals SET sessions = sessions + ?, messages = messages + ? WHERE id = 1').run(counters.sessions, counters.messages);
  })();
  db.pragma('optimize');
  recountLastActivitySqlite(db);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { sessions: counters.sessions, messages: counters.messages, history: history?.id };
}

/**
 * The same into a migrated PostgreSQL database: one multi-row `INSERT … SELECT FROM unnest(...)`
 * per table per 500 sessions (the `tsvector` columns are generated), counters as on SQLite, then
 * ANALYZE so the planner sees the real sizes.
 */
export async function seedCorpusPostgres(url, shape) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const counters = new SeedCounters();
  let history;
  const write = async (batch) => {
    const messages = batch.flatMap((s) => s.messages.map((m) => [s.id, m.sender, m.content, new Date(m.at).toISOString(), sentimentOf(m.sender, m.content)]));
    const column = (rows, i) => rows.map((r) => r[i]);
    const sessions = batch.map((s) => [s.id, s.name, new Date(s.createdAt).toISOString(), new Date(s.lastActivity).toISOString(), s.messages.length]);
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO chat_sessions (session_id, chat_name, created_at, last_activity, message_count)
       SELECT * FROM unnest($1::varchar[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::int[])`,
      [0, 1, 2, 3, 4].map((i) => column(sessions, i)),
    );
    await client.query(
      `INSERT INTO chat_messages (session_id, sender, content, "timestamp", sentiment)
       SELECT a, b, c, d, e FROM unnest($1::varchar[], $2::varchar[], $3::text[], $4::timestamptz[], $5::float8[]) WITH ORDINALITY AS t(a, b, c, d, e, n) ORDER BY n`,
      [0, 1, 2, 3, 4].map((i) => column(messages, i)),
    );
    await client.query('COMMIT');
    for (const s of batch) {
      counters.add(s);
      history = historyPick(history, s);
    }
  };
  try {
    await client.query('SET synchronous_commit = off');
    let batch = [];
    for (const session of corpus(shape)) {
      batch.push(session);
      if (batch.length === 500) {
        await write(batch);
        batch = [];
      }
    }
    if (batch.length > 0) await write(batch);
    const hours = [...counters.byHour];
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO chat_activity (hour, shard, sessions, messages) SELECT h, 0, s, m FROM unnest($1::int[], $2::int[], $3::int[]) AS t(h, s, m) ${ACTIVITY_UPSERT}`,
      [hours.map(([h]) => h), hours.map(([, c]) => c.sessions), hours.map(([, c]) => c.messages)],
    );
    await client.query('UPDATE chat_totals SET sessions = sessions + $1, messages = messages + $2 WHERE id = 1', [counters.sessions, counters.messages]);
    await client.query('DELETE FROM session_last_activity');
    await client.query(LAST_ACTIVITY.postgres);
    await client.query('COMMIT');
    await client.query('ANALYZE');
    return { sessions: counters.sessions, messages: counters.messages, history: history?.id };
  } finally {
    await client.end();
  }
}
