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
 * -1 in the hour of the previous one. Read after `h`, so the locks follow the usage rows.
 */
const MOVE_LAST_ACTIVITY = `
  la AS (INSERT INTO session_last_activity (hour, shard, sessions)
        SELECT hour, ?, SUM(delta) FROM (
          SELECT hour, 1 AS delta FROM ui WHERE was IS NULL OR ${WAS_HOUR} <> hour
          UNION ALL SELECT ${WAS_HOUR}, -1 FROM ui WHERE was IS NOT NULL AND ${WAS_HOUR} <> hour) AS moved
        WHERE EXISTS (SELECT 1 FROM h) GROUP BY hour HAVING SUM(delta) <> 0 ORDER BY hour
        ON CONFLICT (hour, shard) DO UPDATE SET sessions = session_last_activity.sessions + excluded.sessions)`;

/** The columns `h` adds to, in the order of its SELECT list. */
const HOURLY_COLUMNS = ['turns', 'new_sessions', 'sentiment_sum', 'sentiment_count', 'model_calls', 'latency_ms_sum', 'tokens_in', 'tokens_out', 'active_users', 'active_users_day'];

/**
 * The usage of the written items `ui` (hour, kind, created, sentiment, user_key, latency, bucket,
 * tokens): first visits of the starts' users in an hour and a day (`u`), then one row per hour
 * (`h`) with the starts' turns, new sessions and sentiment and the answers' model calls, latency
 * and tokens, then the latency buckets and the last-activity move. `h` has a row whenever `ui` has
 * one, so the move that follows it is never skipped.
 */
const COUNT_USAGE = `
  u AS (INSERT INTO usage_active_users (span, period_start, user_key)
        SELECT DISTINCT span, period_start, user_key FROM (
          SELECT 1 AS span, hour AS period_start, user_key FROM ui WHERE kind = 'start'
          UNION ALL SELECT 24, hour - hour % 24, user_key FROM ui WHERE kind = 'start') AS visits
        WHERE EXISTS (SELECT 1 FROM a) ORDER BY span, period_start, user_key
        ON CONFLICT DO NOTHING RETURNING span, period_start),
  h AS (INSERT INTO usage_hourly (hour, shard, ${HOURLY_COLUMNS.join(', ')})
        SELECT hour, ?, COUNT(*) FILTER (WHERE kind = 'start'), COUNT(*) FILTER (WHERE created), COALESCE(SUM(sentiment), 0), COUNT(sentiment),
          COUNT(latency), COALESCE(SUM(latency), 0), COALESCE(SUM(tokens_in), 0), COALESCE(SUM(tokens_out), 0),
          COUNT(*) FILTER (WHERE span = 1), COUNT(*) FILTER (WHERE span = 24) FROM (
          SELECT hour, kind, created, sentiment, latency, tokens_in, tokens_out, NULL AS span FROM ui
          UNION ALL SELECT period_start, NULL, false, NULL, NULL, NULL, NULL, span FROM u) AS changes
        GROUP BY hour ORDER BY hour
        ON CONFLICT (hour, shard) DO UPDATE SET ${HOURLY_COLUMNS.map((c) => `${c} = usage_hourly.${c} + excluded.${c}`).join(', ')}
        RETURNING 1 AS done),
  l AS (INSERT INTO usage_latency (hour, shard, bucket, calls)
        SELECT hour, ?, bucket, COUNT(*) FROM ui WHERE bucket IS NOT NULL AND EXISTS (SELECT 1 FROM h) GROUP BY hour, bucket ORDER BY hour, bucket
        ON CONFLICT (hour, shard, bucket) DO UPDATE SET calls = usage_latency.calls + excluded.calls),
  ${MOVE_LAST_ACTIVITY}`;

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

/**
 * One write of a batch. Its fields are the statement's columns (see ROWS); those of the other kind
 * are absent, so they read as null.
 */
type TurnWrite = StartWrite | AppendWrite;

interface WriteBase {
  readonly owner: string | null;
  readonly session_id: string;
  readonly sender: Sender;
  readonly content: string;
  readonly at: string;
  readonly hour: number;
}

interface StartWrite extends WriteBase {
  readonly kind: 'start';
  readonly chat_name: string;
  readonly sentiment: number;
}

interface AppendWrite extends WriteBase {
  readonly kind: 'append';
  /** The model's answer: null for other messages. */
  readonly latency: number | null;
  readonly bucket: number | null;
  readonly tokens_in: number | null;
  readonly tokens_out: number | null;
}

/** What the statement returns for a write it stored: the message's id and, for a start, its session. */
type WrittenRow = SessionRow & { readonly ord: string; readonly message_id: number };

/**
 * PostgreSQL: the writes of concurrent turns, starts and appends alike, are coalesced (Batcher)
 * into one statement of data-modifying CTEs per batch, atomic by itself. Under load a round trip,
 * a commit, the executor's start-up and one upsert of each counter row serve many turns; alone, a
 * write is a batch of one and goes at once. A batch never holds one session twice, so its two
 * writes to chat_sessions (the starts' upsert, the appends' update) touch different rows, and a
 * session's next write waits for the next batch. One queue means one batch in flight per process;
 * the batches of other instances run the same statement, so they take their locks in its one
 * order (sessions, messages, activity, then the usage rows, see the CTEs).
 */
class BatchedTurnWrites implements TurnWrites {
  private readonly writes: Batcher<TurnWrite, WrittenRow | null>;

  constructor(
    private readonly sql: Sql,
    private readonly scorer: SentimentScorer,
  ) {
    // One batch in flight, and one queue for both kinds: the writes that arrive meanwhile wait one
    // round trip and go together. Measured on the bare floor (bench/floor.mjs) on PostgreSQL, 10
    // connections: with two in flight a batch held 1.7 writes on average and PostgreSQL spent ~1,000 µs
    // of CPU per turn; with one, ~710 µs, as the statement, its counter upserts and its commit serve
    // more turns. A queue per kind sent two statements where one serves both: with one queue, 10
    // clients, statements fell from 0.61 to 0.39 a turn and PostgreSQL's CPU from ~750 to ~380 µs.
    this.writes = new Batcher<TurnWrite, WrittenRow | null>((items) => this.eachOnFailure(items), {
      maxInFlight: 1,
      maxBatch: 64,
      key: (item) => item.session_id,
      failsAll: (error) => postgresFailure(error) !== undefined,
    });
  }

  async startTurn(scope: Scope, sessionId: string, content: string, chatName: string, at: Date): Promise<StartedTurn | null> {
    const write: StartWrite = {
      kind: 'start',
      owner: scope.ownerId,
      session_id: sessionId,
      chat_name: chatName,
      sender: 'Human',
      content,
      at: toDbTime(at),
      hour: hourOf(at),
      sentiment: this.scorer.score(content),
    };
    const row = await this.writes.submit(write);
    return row && { session: toSession(row), message: storedMessage(write, row) };
  }

  async appendMessage(scope: Scope, sessionId: string, sender: Sender, content: string, at: Date, usage?: ModelUsage): Promise<StoredMessage | null> {
    const write: AppendWrite = {
      kind: 'append',
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
    };
    const row = await this.writes.submit(write);
    return row && storedMessage(write, row);
  }

  // Owner check: a null owner is the EVERYONE scope (see visibleTo). The starts' upsert and the
  // appends' update refuse a session the scope may not see: no row, no message, no counters — null
  // for that item, as for an append whose session is gone. xmax = 0 on a row the upsert returns
  // means it inserted the row: the session is new. `w` is every session written, of either kind.
  private async writeBatch(items: readonly TurnWrite[]): Promise<(WrittenRow | null)[]> {
    const shard = randomShard('postgres');
    const rows = await this.sql.all<WrittenRow>(
      `WITH ${ROWS(['kind text', 'owner text', 'session_id text', 'chat_name text', 'sender text', 'content text', 'at timestamptz', 'hour integer', 'sentiment float8', 'latency float8', 'bucket integer', 'tokens_in integer', 'tokens_out integer'])},
        o AS (SELECT c.session_id, c.last_activity FROM chat_sessions c WHERE ${BY_ID('c')}),
        s AS (INSERT INTO chat_sessions (${SESSION_COLUMNS}, owner_id)
            SELECT session_id, chat_name, at, at, 1, owner FROM i WHERE kind = 'start' ORDER BY session_id
          ON CONFLICT (session_id) DO UPDATE SET last_activity = excluded.last_activity, message_count = chat_sessions.message_count + 1
          WHERE excluded.owner_id IS NULL OR chat_sessions.owner_id = excluded.owner_id
          RETURNING ${SESSION_COLUMNS}, owner_id, (xmax = 0) AS created),
        p AS (UPDATE chat_sessions c SET last_activity = i.at, message_count = c.message_count + 1 FROM i
          WHERE ${BY_ID('c')} AND c.session_id = i.session_id AND i.kind = 'append' AND (i.owner IS NULL OR c.owner_id = i.owner)
          RETURNING c.session_id),
        w AS (SELECT session_id, created, owner_id FROM s UNION ALL SELECT session_id, false, NULL FROM p),
        m AS (INSERT INTO chat_messages (session_id, sender, content, "timestamp", sentiment)
            SELECT i.session_id, i.sender, i.content, i.at, i.sentiment FROM w JOIN i USING (session_id) ORDER BY i.ord
          RETURNING id, session_id),
        d AS (SELECT i.hour, COUNT(*) FILTER (WHERE w.created) AS sessions, COUNT(*) AS messages
            FROM m JOIN w USING (session_id) JOIN i USING (session_id) GROUP BY i.hour),
        ${COUNT_MESSAGES},
        ui AS (SELECT i.hour, i.kind, w.created, i.sentiment, COALESCE(w.owner_id, '') AS user_key, i.latency, i.bucket, i.tokens_in, i.tokens_out,
              o.last_activity AS was
            FROM m JOIN w USING (session_id) JOIN i USING (session_id) LEFT JOIN o USING (session_id)),
        ${COUNT_USAGE}
       SELECT i.ord, s.*, m.id AS message_id FROM i JOIN m USING (session_id) LEFT JOIN s USING (session_id)`,
      [JSON.stringify(items), shard, shard + 1, shard, shard, shard],
    );
    const byOrd = new Map(rows.map((row) => [Number(row.ord), row]));
    return items.map((_, i) => byOrd.get(i + 1) ?? null);
  }

  /**
   * A batch is one statement, so a failure rolled all of it back. A failing server fails every
   * item; anything else may belong to one item, so each is tried alone and only its own fails.
   */
  private async eachOnFailure(items: readonly TurnWrite[]): Promise<Settled<WrittenRow | null>[]> {
    try {
      return (await this.writeBatch(items)).map((value) => ({ value }));
    } catch (error) {
      if (items.length === 1 || postgresFailure(error)) throw error;
      return Promise.all(items.map((item) => this.writeBatch([item]).then(([value]) => ({ value: value ?? null }), (itemError: unknown) => ({ error: itemError }))));
    }
  }
}

function storedMessage(write: TurnWrite, row: WrittenRow): StoredMessage {
  return { id: Number(row.message_id), sessionId: write.session_id, sender: write.sender, content: write.content, timestamp: fromDbTime(write.at) };
}

/** `sentiment`: the score of a human message (null for the others). */
export async function insertMessage(tx: SqlRunner, sessionId: string, sender: Sender, content: string, at: Date, sentiment: number | null = null): Promise<StoredMessage> {
  const inserted = await tx.get<{ id: number }>(
    'INSERT INTO chat_messages (session_id, sender, content, "timestamp", sentiment) VALUES (?, ?, ?, ?, ?) RETURNING id',
    [sessionId, sender, content, toDbTime(at), sentiment],
  );
  return { id: Number(inserted!.id), sessionId, sender, content, timestamp: at };
}
