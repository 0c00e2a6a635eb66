import { DataSource } from 'typeorm';
import { SqlActivityReader } from '../../src/analytics/adapters/sql-activity-reader';
import { SqlUsageReader } from '../../src/analytics/adapters/sql-usage-reader';
import { UsageService } from '../../src/analytics/usage.service';
import { SqlUserStore } from '../../src/auth/adapters/sql-user-store';
import { hourOf } from '../../src/database/db-time';
import { openDataSource } from '../../src/database/open-data-source';
import { Sql, SqlValue } from '../../src/database/sql';
import { sqlFor } from '../../src/database/sql-for';
import { SentimentScorer } from '../../src/sentiment/domain/sentiment-scorer';
import { SqlSessionStore } from '../../src/sessions/adapters/sql-session-store';
import { EVERYONE, ModelUsage, ownedBy } from '../../src/sessions/domain/session';
import { externalServices, ScratchDatabase, scratchPostgres, scratchSqlite } from '../support/databases';
import { ManualClock } from '../support/manual-clock';
import { explain } from '../support/explain';
import { RecordingSql } from '../support/recording-sql';

const { postgres } = externalServices();
if (!postgres) console.warn('TEST_POSTGRES_URL is not set: the PostgreSQL half of the usage tests is skipped.');

const dialects: [string, () => Promise<ScratchDatabase>][] = [['sqlite', async () => scratchSqlite()]];
if (postgres) dialects.push(['postgres', () => scratchPostgres(postgres)]);

const at = (iso: string) => new Date(iso);
const ALICE = '00000000-0000-4000-8000-00000000000a';
const BOB = '00000000-0000-4000-8000-00000000000b';

/** A scorer that reads its scores from a table: the store must take every score through the port. */
class TableScorer extends SentimentScorer {
  readonly scored: string[] = [];
  constructor(private readonly scores: Record<string, number>) {
    super();
  }
  score(text: string): number {
    this.scored.push(text);
    return this.scores[text] ?? 0;
  }
}

const SCORES = { 'I love it': 0.75, meh: -0.25, second: 0.5, 'third day': 1, 'from yesterday': -1, 'imported joy': 2, 'imported gloom': -2 };
const use = (latencyMs: number, tokensIn: number, tokensOut: number): ModelUsage => ({ latencyMs, tokensIn, tokensOut });

describe.each(dialects)('%s: usage analytics kept at write time', (_dialect, scratch) => {
  let db: ScratchDatabase;
  let dataSource: DataSource;
  let sql: Sql;
  let scorer: TableScorer;
  let store: SqlSessionStore;
  let activity: SqlActivityReader;
  let usage: UsageService;
  const clock = new ManualClock(at('2026-11-24T12:30:00.000Z'));

  beforeEach(async () => {
    clock.set('2026-11-24T12:30:00.000Z');
    db = await scratch();
    dataSource = await openDataSource(db.settings);
    sql = sqlFor(dataSource);
    scorer = new TableScorer(SCORES);
    store = new SqlSessionStore(sql, scorer);
    activity = new SqlActivityReader(sql);
    usage = new UsageService(new SqlUsageReader(sql), clock);
    const users = new SqlUserStore(sql);
    await users.create({ id: ALICE, username: 'alice', passwordHash: null, at: at('2026-11-01T00:00:00.000Z') });
    await users.create({ id: BOB, username: 'bob', passwordHash: null, at: at('2026-11-01T00:00:00.000Z') });
  });
  afterEach(async () => {
    if (dataSource.isInitialized) await dataSource.destroy();
    await db.drop();
  });

  /** Two users over two days: the series below are worked out by hand from these writes. */
  async function seed(): Promise<void> {
    const alice = ownedBy(ALICE);
    const bob = ownedBy(BOB);
    await store.startTurn(bob, 's4', 'from yesterday', 'y', at('2026-11-23T22:00:00.000Z'));
    await store.appendMessage(bob, 's4', 'AI', 'a', at('2026-11-23T22:00:01.000Z'), use(10, 5, 2));
    await store.startTurn(alice, 's1', 'I love it', 'l', at('2026-11-24T10:05:00.000Z'));
    await store.appendMessage(alice, 's1', 'AI', 'a', at('2026-11-24T10:05:02.000Z'), use(100, 50, 20));
    await store.startTurn(bob, 's2', 'meh', 'm', at('2026-11-24T10:20:00.000Z'));
    await store.appendMessage(bob, 's2', 'AI', 'a', at('2026-11-24T10:20:01.000Z'), use(1000, 30, 10));
    await store.startTurn(alice, 's1', 'second', 'l', at('2026-11-24T10:40:00.000Z'));
    await store.recordModelFailure(at('2026-11-24T10:40:30.000Z'));
    await store.startTurn(alice, 's3', 'third day', 't', at('2026-11-24T11:10:00.000Z'));
    await store.appendMessage(alice, 's3', 'AI', 'a', at('2026-11-24T11:10:03.000Z'), use(3000, 70, 40));
  }

  const EMPTY = { turns: 0, newSessions: 0, activeUsers: 0, modelCalls: 0, modelErrors: 0, avgLatencyMs: null, p95LatencyMs: null, tokensIn: 0, tokensOut: 0, avgSentiment: null, scoredMessages: 0 };
  const HOUR_10 = {
    start: at('2026-11-24T10:00:00.000Z'),
    turns: 3,
    newSessions: 2,
    activeUsers: 2,
    modelCalls: 2,
    modelErrors: 1,
    avgLatencyMs: 550,
    // 100 ms falls in the bucket up to 2^7 = 128 ms, 1000 ms in the one up to 2^10 = 1024 ms; the 95th of two calls is the second.
    p95LatencyMs: 1024,
    tokensIn: 80,
    tokensOut: 30,
    avgSentiment: 0.3333,
    scoredMessages: 3,
  };
  const HOUR_11 = { ...EMPTY, start: at('2026-11-24T11:00:00.000Z'), turns: 1, newSessions: 1, activeUsers: 1, modelCalls: 1, avgLatencyMs: 3000, p95LatencyMs: 4096, tokensIn: 70, tokensOut: 40, avgSentiment: 1, scoredMessages: 1 };

  it('should serve hourly series with exact sums, means, p95 and sentiment, and zeros between', async () => {
    await seed();
    const series = await usage.series({ from: at('2026-11-24T09:59:59.000Z'), to: at('2026-11-24T12:00:00.000Z'), granularity: 'hour' });
    expect(series.from).toEqual(at('2026-11-24T09:00:00.000Z'));
    expect(series.to).toEqual(at('2026-11-24T13:00:00.000Z'));
    expect(series.points).toEqual([
      { ...EMPTY, start: at('2026-11-24T09:00:00.000Z') },
      HOUR_10,
      HOUR_11,
      { ...EMPTY, start: at('2026-11-24T12:00:00.000Z') },
    ]);
  });

  it('should count a user once per day in daily series, not once per hour', async () => {
    await seed();
    const series = await usage.series({ from: at('2026-11-23T00:00:00.000Z'), to: at('2026-11-24T23:00:00.000Z'), granularity: 'day' });
    expect(series.points).toEqual([
      { ...EMPTY, start: at('2026-11-23T00:00:00.000Z'), turns: 1, newSessions: 1, activeUsers: 1, modelCalls: 1, avgLatencyMs: 10, p95LatencyMs: 11.3, tokensIn: 5, tokensOut: 2, avgSentiment: -1, scoredMessages: 1 },
      {
        start: at('2026-11-24T00:00:00.000Z'),
        turns: 4,
        newSessions: 3,
        activeUsers: 2,
        modelCalls: 3,
        modelErrors: 1,
        avgLatencyMs: 1366.7,
        p95LatencyMs: 4096,
        tokensIn: 150,
        tokensOut: 70,
        avgSentiment: 0.5,
        scoredMessages: 4,
      },
    ]);
  });

  it('should store each human message with the score the port gave it, and AI messages without', async () => {
    await seed();
    const rows = await sql.all<{ sender: string; content: string; sentiment: number | null }>('SELECT sender, content, sentiment FROM chat_messages ORDER BY id');
    expect(rows.map((r) => [r.sender, r.content, r.sentiment === null ? null : Number(r.sentiment)])).toEqual([
      ['Human', 'from yesterday', -1],
      ['AI', 'a', null],
      ['Human', 'I love it', 0.75],
      ['AI', 'a', null],
      ['Human', 'meh', -0.25],
      ['AI', 'a', null],
      ['Human', 'second', 0.5],
      ['Human', 'third day', 1],
      ['AI', 'a', null],
    ]);
    expect(scorer.scored).toEqual(['from yesterday', 'I love it', 'meh', 'second', 'third day']);
  });

  it('should keep usage history when sessions are deleted or pruned, and count imports in their own hours', async () => {
    await seed();
    const before = await usage.series({ from: at('2026-11-23T00:00:00.000Z'), to: at('2026-11-24T23:00:00.000Z'), granularity: 'day' });
    await store.deleteSession(EVERYONE, 's2');
    expect(await store.pruneIdleSince(EVERYONE, at('2026-11-24T11:00:00.000Z'), 10)).toEqual(['s4', 's1']);
    expect(await usage.series({ from: at('2026-11-23T00:00:00.000Z'), to: at('2026-11-24T23:00:00.000Z'), granularity: 'day' })).toEqual(before);
    await store.importSession(ownedBy(ALICE), {
      sessionId: 's5',
      chatName: 'imported',
      createdAt: at('2026-11-22T08:00:00.000Z'),
      messages: [
        { sender: 'Human', content: 'imported joy', timestamp: at('2026-11-22T08:00:00.000Z') },
        { sender: 'AI', content: 'a', timestamp: at('2026-11-22T08:00:01.000Z') },
        { sender: 'Human', content: 'imported gloom', timestamp: at('2026-11-22T09:00:00.000Z') },
      ],
    });
    const day = await usage.series({ from: at('2026-11-22T00:00:00.000Z'), to: at('2026-11-22T00:00:00.000Z'), granularity: 'day' });
    expect(day.points).toEqual([{ ...EMPTY, start: at('2026-11-22T00:00:00.000Z'), turns: 2, newSessions: 1, activeUsers: 1, avgSentiment: 0, scoredMessages: 2 }]);
  });

  /** What `recent_sessions_24h` must equal: the range count it replaced. */
  async function rangeCount(since: Date): Promise<number> {
    const row = await sql.get<{ n: number }>('SELECT CAST(COUNT(*) AS INTEGER) AS n FROM chat_sessions WHERE last_activity >= ?', [since.toISOString()]);
    return Number(row!.n);
  }

  async function expectActiveSinceToMatchRangeCounts(): Promise<void> {
    for (let t = at('2026-11-22T23:50:00.000Z').getTime(); t <= at('2026-11-24T13:00:00.000Z').getTime(); t += 20 * 60_000) {
      const since = new Date(t);
      expect({ since, n: (await activity.totals(EVERYONE, since)).sessionsActiveSince }).toEqual({ since, n: await rangeCount(since) });
    }
  }

  it('should count sessions active since any moment as the range count does, as activity moves, sessions go and come', async () => {
    await seed();
    await expectActiveSinceToMatchRangeCounts();
    // s4 moves from yesterday 22:00 to today 12:10; s1 gets a later answer in the same hour.
    await store.startTurn(ownedBy(BOB), 's4', 'again', 'y', at('2026-11-24T12:10:00.000Z'));
    await store.appendMessage(ownedBy(ALICE), 's1', 'AI', 'late', at('2026-11-24T10:59:59.000Z'));
    await expectActiveSinceToMatchRangeCounts();
    await store.deleteSession(EVERYONE, 's2');
    await store.pruneIdleSince(EVERYONE, at('2026-11-24T11:00:00.000Z'), 10);
    await store.importSession(EVERYONE, { sessionId: 's6', chatName: 'i', createdAt: at('2026-11-23T01:00:00.000Z'), messages: [{ sender: 'Human', content: 'x', timestamp: at('2026-11-23T05:30:00.000Z') }] });
    await expectActiveSinceToMatchRangeCounts();
  });

  // On SQLite the turns of one group commit fold their counter changes into one write (sqlite-sql.ts).
  it('should count concurrent turns of many sessions exactly', async () => {
    await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        const id = `c${i}`;
        const owner = ownedBy(`user${i % 3}`);
        await store.startTurn(owner, id, 'I love it', id, at('2026-11-24T10:00:00.000Z'));
        await store.appendMessage(owner, id, 'AI', 'a', at('2026-11-24T10:00:01.000Z'), use(100 + i, 10, 1));
      }),
    );
    const [point] = (await usage.series({ from: at('2026-11-24T10:00:00.000Z'), to: at('2026-11-24T10:00:00.000Z'), granularity: 'hour' })).points;
    expect(point).toMatchObject({ turns: 40, newSessions: 40, activeUsers: 3, modelCalls: 40, avgLatencyMs: 119.5, tokensIn: 400, tokensOut: 40, avgSentiment: 0.75 });
    expect(Number((await sql.get<{ n: string }>('SELECT SUM(calls) AS n FROM usage_latency'))!.n)).toBe(40);
    expect(await activity.totals(EVERYONE, at('2026-11-24T00:00:00.000Z'))).toMatchObject({ sessionsActiveSince: 40 });
  });

  describe('the query plans of the statistics', () => {
    /** Every statement the statistics and the usage series run, as they ran it. */
    async function statementsOfTheStatistics(): Promise<{ sql: string; params: readonly SqlValue[] }[]> {
      const recording = new RecordingSql(sql);
      await new SqlActivityReader(recording).totals(EVERYONE, at('2026-11-23T12:30:00.000Z'));
      await new SqlActivityReader(recording).activitySince(EVERYONE, at('2026-10-26T00:00:00.000Z'));
      await new SqlUsageReader(recording).buckets(hourOf(at('2026-10-25T00:00:00.000Z')), hourOf(at('2026-11-25T00:00:00.000Z')), 'hour');
      await new SqlUsageReader(recording).buckets(hourOf(at('2025-11-25T00:00:00.000Z')), hourOf(at('2026-11-25T00:00:00.000Z')), 'day');
      return recording.statements;
    }

    it('should read every counter and the one partial hour of sessions through an index, and scan no table that grows', async () => {
      await seed();
      const statements = await statementsOfTheStatistics();
      expect(statements).toHaveLength(9);
      const plans = await Promise.all(statements.map((s) => explain(sql, s.sql, s.params)));
      const all = plans.join('\n');
      if (sql.dialect === 'sqlite') {
        // Only chat_totals, one row per counter shard, is scanned whole.
        expect(all.split('\n').filter((line) => /\bSCAN\b/.test(line) && !/SCAN chat_totals/.test(line))).toEqual([]);
        expect(all).toMatch(/SEARCH chat_sessions USING COVERING INDEX idx_chat_sessions_last_activity \(last_activity>\? AND last_activity<\?\)/);
        expect(all).toMatch(/SEARCH session_last_activity USING (COVERING )?INDEX sqlite_autoindex_session_last_activity_1 \(hour>\?\)/);
        expect(all).toMatch(/SEARCH usage_hourly USING INDEX sqlite_autoindex_usage_hourly_1 \(hour>\? AND hour<\?\)/);
        expect(all).toMatch(/SEARCH usage_latency USING (COVERING )?INDEX sqlite_autoindex_usage_latency_1 \(hour>\? AND hour<\?\)/);
        expect(all).toMatch(/SEARCH chat_activity USING INDEX sqlite_autoindex_chat_activity_1 \(hour>\?\)/);
      } else {
        expect(all.split('\n').filter((line) => /Seq Scan on (?!chat_totals)/.test(line))).toEqual([]);
        expect(all).toMatch(/Index (Only )?Scan using idx_chat_sessions_last_activity on chat_sessions/);
        for (const table of ['session_last_activity', 'usage_hourly', 'usage_latency', 'chat_activity']) {
          expect(all).toMatch(new RegExp(`(Index (Only )?Scan using \\S+ on ${table}|Bitmap Heap Scan on ${table})`));
        }
      }
    });
  });
});
