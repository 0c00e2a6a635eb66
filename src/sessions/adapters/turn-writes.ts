import { fromDbTime, hourOf, toDbTime } from '../../database/db-time';
import { Foldable, Sql, SqlRunner, writeAtCommit } from '../../database/sql';
import { postgresFailure } from '../../database/store-failure';
import { Batcher, Settled } from '../../common/batcher';
import { ModelUsage, Scope, Sender, Session, StoredMessage } from '../domain/session';
import { latencyBucket } from '../domain/latency-buckets';
import { SentimentScorer } from '../../sentiment/domain/sentiment-scorer';
import { StartedTurn } from '../domain/session-store';
import { ActivityCounters, randomShard } from './activity-counters';
import { visibleTo } from './ownership';
import { UsageCounters } from './usage-counters';
import { SESSION_COLUMNS, SessionRow, toSession } from './rows';

/**
 * The two writes of every turn, each atomic with its counters. They are the hot path, so each
 * dialect gets the cheapest form that keeps them atomic.
 */
export interface TurnWrites {
  /** null when the id is taken by a session the scope may not see. */
  startTurn(scope: Scope, sessionId: string, content: string, chatName: string, at: Date): Promise<StartedTurn | null>;
  /** null when the session no longer exists (or the scope may not see it). `usage`: the model's answer, counted in the usage series. */
  appendMessage(scope: Scope, sessionId: string, sender: Sender, content: string, at: Date, usage?: ModelUsage): Promise<StoredMessage | null>;
}

export function turnWritesFor(sql: Sql, scorer: SentimentScorer): TurnWrites {
  return sql.dialect === 'postgres' ? new BatchedTurnWrites(sql, scorer) : new TransactionTurnWrites(sql, scorer);
}

/** Portable statements in one transaction: on SQLite they run in-process, so round trips cost nothing. */
class TransactionTurnWrites implements TurnWrites {
  constructor(
    private readonly sql: Sql,
    private readonly scorer: SentimentScorer,
  ) {}

  startTurn(scope: Scope, sessionId: string, content: string, chatName: string, at: Date): Promise<StartedTurn | null> {
    const sentiment = this.scorer.score(content);
    return this.sql.transaction(async (tx) => {
      const owner = visibleTo(scope, 's');
      const row = await tx.get<SessionRow & { owner_id: string | null }>(
        `SELECT ${SESSION_COLUMNS}, owner_id FROM chat_sessions s WHERE s.session_id = ? AND ${owner.sql}`,
        [sessionId, ...owner.params],
      );
      if (!row && (await tx.get('SELECT 1 AS taken FROM chat_sessions WHERE session_id = ?', [sessionId]))) return null;
      const counters = new ActivityCounters().messageWritten(at);
      const usage = new UsageCounters().turnStarted(at, row ? row.owner_id : scope.ownerId, sentiment);
      let session: Session;
      if (row) {
        await tx.run('UPDATE chat_sessions SET last_activity = ?, message_count = message_count + 1 WHERE session_id = ?', [toDbTime(at), sessionId]);
        session = { ...toSession(row), lastActivity: at, messageCount: Number(row.message_count) + 1 };
        usage.activityMoved(fromDbTime(row.last_activity), at);
      } else {
        await tx.run(`INSERT INTO chat_sessions (${SESSION_COLUMNS}, owner_id) VALUES (?, ?, ?, ?, 1, ?)`, [
          sessionId,
          chatName,
          toDbTime(at),
          toDbTime(at),
          scope.ownerId,
        ]);
        counters.sessionCreated(at);
        usage.sessionCreated(at).activityMoved(null, at);
        session = { sessionId, chatName, createdAt: at, lastActivity: at, messageCount: 1 };
      }
      const message = await insertMessage(tx, sessionId, 'Human', content, at, sentiment);
      await writeAtCommit(tx, new TurnCounters(counters, usage, randomShard(this.sql.dialect)));
      return { session, message };
    });
  }

  appendMessage(scope: Scope, sessionId: string, sender: Sender, content: string, at: Date, modelUsage?: ModelUsage): Promise<StoredMessage | null> {
    return this.sql.transaction(async (tx) => {
      const owner = visibleTo(scope, 's');
      const row = await tx.get<{ last_activity: string | Date }>(`SELECT last_activity FROM chat_sessions s WHERE s.session_id = ? AND ${owner.sql}`, [
        sessionId,
        ...owner.params,
      ]);
      if (!row) return null;
      await tx.run('UPDATE chat_sessions SET last_activity = ?, message_count = message_count + 1 WHERE session_id = ?', [toDbTime(at), sessionId]);
      const message = await insertMessage(tx, sessionId, sender, content, at);
      const usage = new UsageCounters().activityMoved(fromDbTime(row.last_activity), at);
      if (modelUsage) usage.modelAnswered(at, modelUsage);
      await writeAtCommit(tx, new TurnCounters(new ActivityCounters().messageWritten(at), usage, randomShard(this.sql.dialect)));
      return message;
    });
  }
}

/**
 * A turn's counter changes. On SQLite the turns of one group commit fold theirs and the group
 * writes each counter row once (a dozen upserts a turn otherwise); the group's shard is the first's
 * (shards are summed on read).
 */
class TurnCounters implements Foldable {
  constructor(
    private readonly activity: ActivityCounters,
    private readonly usage: UsageCounters,
    private readonly shard: number,
  ) {}

  absorb(other: TurnCounters): void {
    this.activity.absorb(other.activity);
    this.usage.absorb(other.usage);
  }

  async write(tx: SqlRunner): Promise<void> {
    await this.activity.apply(tx, this.shard);
    await this.usage.apply(tx, this.shard);
  }
}

/**
 * The counter upserts of a batch, from `d` (hour, sessions, messages) after the message insert:
 * `d` reads `m`, `a` reads `d` and `t` reads `a`, which fixes the order PostgreSQL takes the row
 * locks in (sessions, messages, activity by hour, totals) the same way for every writer, so
 * concurrent batches cannot deadlock on the counters.
 */
const COUNT_MESSAGES = `
  a AS (INSERT INTO chat_activity (hour, shard, sessions, messages) SELECT hour, ?, sessions, messages FROM d ORDER BY hour
        ON CONFLICT (hour, shard) DO UPDATE SET sessions = chat_activity.sessions + excluded.sessions,
          messages = chat_activity.messages + excluded.messages
        RETURNING 1 AS done),
  t AS (INSERT INTO chat_totals (id, sessions, messages) SELECT ?, SUM(sessions), SUM(messages) FROM d
        WHERE EXISTS (SELECT 1 FROM a) HAVING COUNT(*) > 0
        ON CONFLICT (id) DO UPDATE SET sessions = chat_totals.sessions + excluded.sessions,
          messages = chat_totals.messages + excluded.messages)`;

/** The UTC hour of a session's previous last activity (`was`), as `hourOf` computes it. */
const WAS_HOUR = 'CAST(FLOOR(EXTRACT(EPOCH FROM was) / 3600) AS INTEGER)';

/**
 * Moves the sessions of `ui` (hour, was) between last-activity hours: +1 in the hour of this write,
 * -1 in the hour of the previous one. Read after `after`, so the locks follow the usage rows.
 */
const MOVE_LAST_ACTIVITY = (after: string) => `
  la AS (INSERT INTO session_last_activity (hour, shard, sessions)
        SELECT hour, ?, SUM(delta) FROM (
          SELECT hour, 1 AS delta FROM ui WHERE was IS NULL OR ${WAS_HOUR} <> hour
          UNION ALL SELECT ${WAS_HOUR}, -1 FROM ui WHERE was IS NOT NULL AND ${WAS_HOUR} <> hour) AS moved
        WHERE EXISTS (SELECT 1 FROM ${after}) GROUP BY hour HAVING SUM(delta) <> 0 ORDER BY hour
        ON CONFLICT (hour, shard) DO UPDATE SET sessions = session_last_activity.sessions + excluded.sessions)`;

const ADD_USAGE = (columns: readonly string[]) =>
  `ON CONFLICT (hour, shard) DO UPDATE SET ${columns.map((c) => `${c} = usage_hourly.${c} + excluded.${c}`).join(', ')}`;

/**
 * The usage of started turns `ui` (hour, created, sentiment, user_key): first visits of a user in
 * an hour and a day (`u`), then the hour's counters (`h`), then the last-activity move.
 */
const COUNT_STARTS = `
  u AS (INSERT INTO usage_active_users (span, period_start, user_key)
        SELECT DISTINCT span, period_start, user_key FROM (
          SELECT 1 AS span, hour AS period_start, user_key FROM ui
          UNION ALL SELECT 24, hour - hour % 24, user_key FROM ui) AS visits
        WHERE EXISTS (SELECT 1 FROM a) ORDER BY span, period_start, user_key
        ON CONFLICT DO NOTHING RETURNING span, period_start),
  h AS (INSERT INTO usage_hourly (hour, shard, turns, new_sessions, sentiment_sum, sentiment_count, active_users, active_users_day)
        SELECT hour, ?, SUM(turns), SUM(new_sessions), SUM(sentiment_sum), SUM(sentiment_count), SUM(au), SUM(aud) FROM (
          SELECT hour, 1 AS turns, CASE WHEN created THEN 1 ELSE 0 END AS new_sessions, sentiment AS sentiment_sum, 1 AS sentiment_count, 0 AS au, 0 AS aud FROM ui
          UNION ALL SELECT period_start, 0, 0, 0, 0, CASE WHEN span = 1 THEN 1 ELSE 0 END, CASE WHEN span = 24 THEN 1 ELSE 0 END FROM u) AS changes
        GROUP BY hour ORDER BY hour
        ${ADD_USAGE(['turns', 'new_sessions', 'sentiment_sum', 'sentiment_count', 'active_users', 'active_users_day'])}
        RETURNING 1 AS done),
  ${MOVE_LAST_ACTIVITY('h')}`;

/** The usage of the model's answers in `ui` (hour, latency, bucket, tokens), and the last-activity move. */
const COUNT_ANSWERS = `
  h AS (INSERT INTO usage_hourly (hour, shard, model_calls, latency_ms_sum, tokens_in, tokens_out)
        SELECT hour, ?, COUNT(*), SUM(latency), SUM(tokens_in), SUM(tokens_out) FROM ui
        WHERE latency IS NOT NULL AND EXISTS (SELECT 1 FROM a) GROUP BY hour ORDER BY hour
        ${ADD_USAGE(['model_calls', 'latency_ms_sum', 'tokens_in', 'tokens_out'])}
        RETURNING 1 AS done),
  l AS (INSERT INTO usage_latency (hour, shard, bucket, calls)
        SELECT hour, ?, bucket, COUNT(*) FROM ui WHERE bucket IS NOT NULL AND EXISTS (SELECT 1 FROM h) GROUP BY hour, bucket ORDER BY hour, bucket
        ON CONFLICT (hour, shard, bucket) DO UPDATE SET calls = usage_latency.calls + excluded.calls),
  ${MOVE_LAST_ACTIVITY('a')}`;

/**
 * The sessions of a batch, found through the primary key whatever the planner guesses. It takes a
 * json_to_recordset for 100 rows, so a join on it (UPDATE … FROM i) was a hash join over a
 * sequential scan of chat_sessions: every turn read the whole table, dead rows included.
 */
const BY_ID = (alias: string) => `${alias}.session_id = ANY (ARRAY(SELECT session_id FROM i))`;

/** A batch's rows as one JSON parameter, unpacked by PostgreSQL: one round trip whatever its size. */
const ROWS = (columns: readonly string[]) =>
  `i AS (SELECT * FROM ROWS FROM (json_to_recordset(?::json) AS (${columns.join(', ')})) WITH ORDINALITY
     AS i(${columns.map((column) => column.split(' ')[0]).join(', ')}, ord))`;

interface StartItem {
  readonly owner: string | null;
  readonly session_id: string;
  readonly chat_name: string;
  readonly content: string;
  readonly at: string;
  readonly hour: number;
  readonly sentiment: number;
}

interface AppendItem {
  readonly owner: string | null;
  readonly session_id: string;
  readonly sender: Sender;
  readonly content: string;
  readonly at: string;
  readonly hour: number;
  /** The model's answer: null for other messages. */
  readonly latency: number | null;
  readonly bucket: number | null;
  readonly tokens_in: number | null;
  readonly tokens_out: number | null;
}

/**
 * PostgreSQL: the writes of concurrent turns are coalesced (Batcher) into one statement of
 * data-modifying CTEs per batch, atomic by itself. Under load a round trip, a commit and one
 * counter upsert serve many turns; alone, a write is a batch of one and goes at once. Turns of one
 * session are serialized by the session lock, and a batch never holds one session twice.
 */
class BatchedTurnWrites implements TurnWrites {
  private readonly starts: Batcher<StartItem, StartedTurn | null>;
  private readonly appends: Batcher<AppendItem, StoredMessage | null>;

  constructor(
    private readonly sql: Sql,
    private readonly scorer: SentimentScorer,
  ) {
    // One batch in flight per kind: the writes that arrive meanwhile wait one round trip and go
    // together. Measured on the bare floor (bench/floor.mjs) on PostgreSQL, 10 connections: with two
    // in flight a batch held 1.7 writes on average and PostgreSQL spent ~1,000 µs of CPU per turn;
    // with one, ~710 µs, as the statement, its counter upserts and its commit serve more turns.
    const options = { maxInFlight: 1, maxBatch: 64, key: (item: { session_id: string }) => item.session_id, failsAll: (error: unknown) => postgresFailure(error) !== undefined };
    this.starts = new Batcher<StartItem, StartedTurn | null>((items) => this.eachOnFailure(items, (batch) => this.startBatch(batch)), options);
    this.appends = new Batcher<AppendItem, StoredMessage | null>((items) => this.eachOnFailure(items, (batch) => this.appendBatch(batch)), options);
  }

  startTurn(scope: Scope, sessionId: string, content: string, chatName: string, at: Date): Promise<StartedTurn | null> {
    const sentiment = this.scorer.score(content);
    return this.starts.submit({ owner: scope.ownerId, session_id: sessionId, chat_name: chatName, content, at: toDbTime(at), hour: hourOf(at), sentiment });
  }

  appendMessage(scope: Scope, sessionId: string, sender: Sender, content: string, at: Date, usage?: ModelUsage): Promise<StoredMessage | null> {
    return this.appends.submit({
      owner: scope.ownerId,
      session_id: sessionId,
      sender,
      content,
      at: toDbTime(at),
      hour: hourOf(at),
      latency: usage?.latencyMs ?? null,
      bucket: usage ? latencyBucket(usage.latencyMs) : null,
      tokens_in: usage?.tokensIn ?? null,
      tokens_out: usage?.tokensOut ?? null,
    });
  }

  // Owner check: a null owner is the EVERYONE scope (see visibleTo). The upsert's WHERE refuses a
  // session the scope may not see: no row, no message, no counters — null for that item.
  // xmax = 0 on a returned row means the upsert inserted it: the session is new.
  private async startBatch(items: readonly StartItem[]): Promise<(StartedTurn | null)[]> {
    const shard = randomShard('postgres');
    const rows = await this.sql.all<SessionRow & { ord: string; created: boolean; message_id: number }>(
      `WITH ${ROWS(['owner text', 'session_id text', 'chat_name text', 'content text', 'at timestamptz', 'hour integer', 'sentiment float8'])},
        o AS (SELECT c.session_id, c.last_activity FROM chat_sessions c WHERE ${BY_ID('c')}),
        s AS (INSERT INTO chat_sessions (${SESSION_COLUMNS}, owner_id)
            SELECT session_id, chat_name, at, at, 1, owner FROM i ORDER BY session_id
          ON CONFLICT (session_id) DO UPDATE SET last_activity = excluded.last_activity, message_count = chat_sessions.message_count + 1
          WHERE excluded.owner_id IS NULL OR chat_sessions.owner_id = excluded.owner_id
          RETURNING ${SESSION_COLUMNS}, owner_id, (xmax = 0) AS created),
        m AS (INSERT INTO chat_messages (session_id, sender, content, "timestamp", sentiment)
            SELECT s.session_id, 'Human', i.content, i.at, i.sentiment FROM s JOIN i USING (session_id) ORDER BY i.ord
          RETURNING id, session_id),
        d AS (SELECT i.hour, COUNT(*) FILTER (WHERE s.created) AS sessions, COUNT(*) AS messages
            FROM m JOIN s USING (session_id) JOIN i USING (session_id) GROUP BY i.hour),
        ${COUNT_MESSAGES},
        ui AS (SELECT i.hour, s.created, i.sentiment, COALESCE(s.owner_id, '') AS user_key, o.last_activity AS was
            FROM m JOIN s USING (session_id) JOIN i USING (session_id) LEFT JOIN o USING (session_id)),
        ${COUNT_STARTS}
       SELECT i.ord, s.*, m.id AS message_id FROM i JOIN s USING (session_id) JOIN m USING (session_id)`,
      [JSON.stringify(items), shard, shard + 1, shard, shard],
    );
    const byOrd = new Map(rows.map((row) => [Number(row.ord), row]));
    return items.map((item, i) => {
      const row = byOrd.get(i + 1);
      if (!row) return null;
      const message: StoredMessage = { id: Number(row.message_id), sessionId: item.session_id, sender: 'Human', content: item.content, timestamp: fromDbTime(item.at) };
      return { session: toSession(row), message };
    });
  }

  private async appendBatch(items: readonly AppendItem[]): Promise<(StoredMessage | null)[]> {
    const shard = randomShard('postgres');
    const rows = await this.sql.all<{ ord: string; id: number }>(
      `WITH ${ROWS(['owner text', 'session_id text', 'sender text', 'content text', 'at timestamptz', 'hour integer', 'latency float8', 'bucket integer', 'tokens_in integer', 'tokens_out integer'])},
        o AS (SELECT c.session_id, c.last_activity FROM chat_sessions c WHERE ${BY_ID('c')}),
        s AS (UPDATE chat_sessions c SET last_activity = i.at, message_count = c.message_count + 1 FROM i
          WHERE ${BY_ID('c')} AND c.session_id = i.session_id AND (i.owner IS NULL OR c.owner_id = i.owner) RETURNING c.session_id),
        m AS (INSERT INTO chat_messages (session_id, sender, content, "timestamp")
            SELECT i.session_id, i.sender, i.content, i.at FROM s JOIN i USING (session_id) ORDER BY i.ord
          RETURNING id, session_id),
        d AS (SELECT i.hour, 0 AS sessions, COUNT(*) AS messages FROM m JOIN i USING (session_id) GROUP BY i.hour),
        ${COUNT_MESSAGES},
        ui AS (SELECT i.hour, i.latency, i.bucket, i.tokens_in, i.tokens_out, o.last_activity AS was FROM m JOIN i USING (session_id) JOIN o USING (session_id)),
        ${COUNT_ANSWERS}
       SELECT i.ord, m.id FROM i JOIN m USING (session_id)`,
      [JSON.stringify(items), shard, shard + 1, shard, shard, shard],
    );
    const byOrd = new Map(rows.map((row) => [Number(row.ord), row]));
    return items.map((item, i) => {
      const row = byOrd.get(i + 1);
      return row ? { id: Number(row.id), sessionId: item.session_id, sender: item.sender, content: item.content, timestamp: fromDbTime(item.at) } : null;
    });
  }

  /**
   * A batch is one statement, so a failure rolled all of it back. A failing server fails every
   * item; anything else may belong to one item, so each is tried alone and only its own fails.
   */
  private async eachOnFailure<I, O>(items: readonly I[], run: (items: readonly I[]) => Promise<O[]>): Promise<Settled<O>[]> {
    try {
      return (await run(items)).map((value) => ({ value }));
    } catch (error) {
      if (items.length === 1 || postgresFailure(error)) throw error;
      return Promise.all(items.map((item) => run([item]).then(([value]) => ({ value: value! }), (itemError: unknown) => ({ error: itemError }))));
    }
  }

}

/** `sentiment`: the score of a human message (null for the others). */
export async function insertMessage(tx: SqlRunner, sessionId: string, sender: Sender, content: string, at: Date, sentiment: number | null = null): Promise<StoredMessage> {
  const inserted = await tx.get<{ id: number }>(
    'INSERT INTO chat_messages (session_id, sender, content, "timestamp", sentiment) VALUES (?, ?, ?, ?, ?) RETURNING id',
    [sessionId, sender, content, toDbTime(at), sentiment],
  );
  return { id: Number(inserted!.id), sessionId, sender, content, timestamp: at };
}
