import { DataSource } from 'typeorm';
import { SqlUsageReader } from '../../src/analytics/adapters/sql-usage-reader';
import { SqlUsageUpkeepStore } from '../../src/analytics/adapters/sql-usage-upkeep-store';
import { UsageService } from '../../src/analytics/usage.service';
import { SENTIMENT_BACKFILL_SCHEDULE, UsageUpkeepService } from '../../src/analytics/usage-upkeep.service';
import { SqlUserStore } from '../../src/auth/adapters/sql-user-store';
import { InProcessJobLock } from '../../src/coordination/adapters/in-process-job-lock';
import { MIGRATIONS } from '../../src/database/data-source-options';
import { fromDbTime, hourOf } from '../../src/database/db-time';
import { openDataSource } from '../../src/database/open-data-source';
import { Sql } from '../../src/database/sql';
import { sqlFor } from '../../src/database/sql-for';
import { SentimentScorer } from '../../src/sentiment/domain/sentiment-scorer';
import { SqlSessionStore } from '../../src/sessions/adapters/sql-session-store';
import { EVERYONE, ownedBy } from '../../src/sessions/domain/session';
import { externalServices, ScratchDatabase, scratchPostgres, scratchSqlite } from '../support/databases';
import { explain } from '../support/explain';
import { ManualClock } from '../support/manual-clock';
import { RecordingSql } from '../support/recording-sql';

const { postgres } = externalServices();
if (!postgres) console.warn('TEST_POSTGRES_URL is not set: the PostgreSQL half of the usage upkeep tests is skipped.');

const dialects: [string, () => Promise<ScratchDatabase>][] = [['sqlite', async () => scratchSqlite()]];
if (postgres) dialects.push(['postgres', () => scratchPostgres(postgres)]);

const at = (iso: string) => new Date(iso);
const ALICE = '00000000-0000-4000-8000-00000000000a';
const BOB = '00000000-0000-4000-8000-00000000000b';
const NOW = '2026-11-24T12:30:00.000Z';

/** Scores from a table (sums of quarters stay exact in floating point); records what it was asked. */
class TableScorer extends SentimentScorer {
  readonly scored: string[] = [];
  score(text: string): number {
    this.scored.push(text);
    return SCORES[text] ?? 0;
  }
}
const SCORES: Record<string, number> = { 'I love it': 0.75, meh: -0.25, second: 0.5, 'from yesterday': -1, 'so old': 2, 'new turn': 0.25 };

/** Human messages as the version before usage analytics stored them: no sentiment. */
const OLD_MESSAGES: [string, 'Human' | 'AI', string, string][] = [
  ['s1', 'Human', 'I love it', '2026-11-20T10:05:00.000Z'],
  ['s1', 'AI', 'a', '2026-11-20T10:05:01.000Z'],
  ['s1', 'Human', 'meh', '2026-11-20T10:20:00.000Z'],
  ['s1', 'AI', 'b', '2026-11-20T10:20:01.000Z'],
  ['s1', 'Human', 'second', '2026-11-20T11:00:00.000Z'],
  ['s2', 'Human', 'from yesterday', '2026-11-21T22:00:00.000Z'],
  ['s2', 'AI', 'c', '2026-11-21T22:00:01.000Z'],
  ['s2', 'Human', 'so old', '2026-11-21T23:59:59.000Z'],
];
const OLD_HUMAN = OLD_MESSAGES.filter(([, sender]) => sender === 'Human').map(([, , content]) => content);

describe.each(dialects)('%s: usage upkeep', (_dialect, scratch) => {
  let db: ScratchDatabase;
  let dataSource: DataSource;
  let sql: Sql;
  let scorer: TableScorer;
  let store: SqlSessionStore;
  let jobs: InProcessJobLock;
  let upkeep: UsageUpkeepService;
  let usage: UsageService;
  const clock = new ManualClock(at(NOW));

  beforeEach(async () => {
    clock.set(NOW);
    db = await scratch();
  });
  afterEach(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await db.drop();
  });

  async function open(): Promise<void> {
    dataSource = await openDataSource(db.settings);
    sql = sqlFor(dataSource);
    scorer = new TableScorer();
    store = new SqlSessionStore(sql, scorer);
    jobs = new InProcessJobLock(() => clock.now().getTime());
    upkeep = new UsageUpkeepService(new SqlUsageUpkeepStore(sql), scorer, clock, jobs);
    usage = new UsageService(new SqlUsageReader(sql), clock);
  }

  describe('pruning the active-user marks', () => {
    beforeEach(async () => {
      await open();
      const users = new SqlUserStore(sql);
      await users.create({ id: ALICE, username: 'alice', passwordHash: null, at: at('2026-11-01T00:00:00.000Z') });
      await users.create({ id: BOB, username: 'bob', passwordHash: null, at: at('2026-11-01T00:00:00.000Z') });
      // With the clock at 24 Nov 12:30, 48 hours back is 22 Nov 12:30: periods that ended by then go.
      await store.startTurn(ownedBy(ALICE), 'a1', 'x', 'a', at('2026-11-21T23:00:00.000Z'));
      await store.startTurn(ownedBy(ALICE), 'a1', 'x', 'a', at('2026-11-22T11:59:00.000Z'));
      await store.startTurn(ownedBy(BOB), 'b1', 'x', 'b', at('2026-11-22T12:10:00.000Z'));
      await store.startTurn(ownedBy(ALICE), 'a1', 'x', 'a', at('2026-11-24T12:05:00.000Z'));
    });

    const marks = async () =>
      (await sql.all<{ span: number; period_start: number; user_key: string }>('SELECT span, period_start, user_key FROM usage_active_users ORDER BY span, period_start, user_key')).map(
        (r) => `${r.span}:${new Date(Number(r.period_start) * 3_600_000).toISOString()}:${r.user_key === ALICE ? 'alice' : r.user_key === BOB ? 'bob' : r.user_key}`,
      );
    const days = () => usage.series({ from: at('2026-11-21T00:00:00.000Z'), to: at('2026-11-24T00:00:00.000Z'), granularity: 'day' });
    const hours = () => usage.series({ from: at('2026-11-22T10:00:00.000Z'), to: at('2026-11-24T12:00:00.000Z'), granularity: 'hour' });
    const hourPoint = async (iso: string) => (await hours()).points.find((p) => p.start.toISOString() === iso)!;
    const dayPoint = async (iso: string) => (await days()).points.find((p) => p.start.toISOString() === iso)!;

    it('should delete the marks of hours and days that ended more than 48 hours ago, keep the others, and leave the series as they were', async () => {
      const before = { days: await days(), hours: await hours() };
      expect(await upkeep.pruneActiveUserMarks()).toBe(3);
      expect(await marks()).toEqual([
        '1:2026-11-22T12:00:00.000Z:bob',
        '1:2026-11-24T12:00:00.000Z:alice',
        '24:2026-11-22T00:00:00.000Z:alice',
        '24:2026-11-22T00:00:00.000Z:bob',
        '24:2026-11-24T00:00:00.000Z:alice',
      ]);
      expect({ days: await days(), hours: await hours() }).toEqual(before);
      expect(await upkeep.pruneActiveUserMarks()).toBe(0);
    });

    it('should still count a user once in the current hour and day, and in a kept hour that a late turn writes into', async () => {
      await upkeep.pruneActiveUserMarks();
      await store.startTurn(ownedBy(ALICE), 'a2', 'x', 'a', at('2026-11-24T12:40:00.000Z'));
      expect(await hourPoint('2026-11-24T12:00:00.000Z')).toMatchObject({ turns: 2, activeUsers: 1 });
      // A turn stamped by a lagging clock, two days late: Bob's hour and day still know him.
      await store.startTurn(ownedBy(BOB), 'b1', 'x', 'b', at('2026-11-22T12:55:00.000Z'));
      expect(await hourPoint('2026-11-22T12:00:00.000Z')).toMatchObject({ turns: 2, activeUsers: 1 });
      expect(await dayPoint('2026-11-22T00:00:00.000Z')).toMatchObject({ turns: 3, activeUsers: 2 });
      await store.startTurn(ownedBy(BOB), 'b2', 'x', 'b', at('2026-11-24T12:45:00.000Z'));
      expect(await hourPoint('2026-11-24T12:00:00.000Z')).toMatchObject({ turns: 3, activeUsers: 2 });
      expect(await dayPoint('2026-11-24T00:00:00.000Z')).toMatchObject({ turns: 3, activeUsers: 2 });
    });

    it('should prune more marks than one batch holds', async () => {
      // 2,500 users of an old hour and day, as the hot path would have left them.
      const old = hourOf(at('2026-11-01T05:00:00.000Z'));
      await sql.run(
        `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2500)
         INSERT INTO usage_active_users (span, period_start, user_key) SELECT 1, CAST(? AS INTEGER), 'u' || i FROM n UNION ALL SELECT 24, CAST(? AS INTEGER), 'u' || i FROM n`,
        [old, old - (old % 24)],
      );
      expect(await upkeep.pruneActiveUserMarks()).toBe(5_003);
      expect(await marks()).toHaveLength(5);
    });
  });

  describe('scoring the messages stored without a sentiment', () => {
    /** The store as the version before usage analytics left it, then migrated to this version. */
    beforeEach(async () => {
      const before = MIGRATIONS.findIndex((m) => m.name === 'UsageAnalytics1765600000000');
      const old = await openDataSource(db.settings, { migrations: MIGRATIONS.slice(0, before) });
      for (const id of ['s1', 's2']) {
        await old.query(`INSERT INTO chat_sessions (session_id, chat_name, created_at, last_activity, message_count) VALUES ('${id}', '${id}', '2026-11-20T10:00:00.000Z', '2026-11-21T23:59:59.000Z', 4)`);
      }
      for (const [session, sender, content, time] of OLD_MESSAGES) {
        await old.query(`INSERT INTO chat_messages (session_id, sender, content, "timestamp") VALUES ('${session}', '${sender}', '${content}', '${time}')`);
      }
      await old.destroy();
      await open();
      await store.startTurn(EVERYONE, 's3', 'new turn', 'n', at('2026-11-24T11:10:00.000Z'));
      await store.appendMessage(EVERYONE, 's3', 'AI', 'd', at('2026-11-24T11:10:01.000Z'));
      scorer.scored.length = 0;
    });

    const messages = async () =>
      (await sql.all<{ id: number; sender: string; content: string; timestamp: string | Date; sentiment: number | null }>(
        'SELECT id, sender, content, "timestamp", sentiment FROM chat_messages ORDER BY id',
      )).map((m) => ({ ...m, sentiment: m.sentiment === null ? null : Number(m.sentiment) }));

    /** usage_hourly over its shards: hour → turns, sentiment sum and count. */
    const hourly = async () =>
      Object.fromEntries(
        (await sql.all<{ hour: number; turns: number; s: number; n: number }>('SELECT hour, SUM(turns) AS turns, SUM(sentiment_sum) AS s, SUM(sentiment_count) AS n FROM usage_hourly GROUP BY hour ORDER BY hour')).map(
          (r) => [Number(r.hour), { turns: Number(r.turns), sum: Number(r.s), count: Number(r.n) }],
        ),
      );

    /** What each hour's sentiment must be: the sum and count of the scores its messages hold. */
    const scoresByHour = async () => {
      const hours: Record<number, { sum: number; count: number }> = {};
      for (const m of await messages()) {
        if (m.sentiment === null) continue;
        const hour = hourOf(fromDbTime(m.timestamp));
        hours[hour] = { sum: (hours[hour]?.sum ?? 0) + m.sentiment, count: (hours[hour]?.count ?? 0) + 1 };
      }
      return hours;
    };
    /** The hours with a sentiment, as `scoresByHour` lists them. */
    const sentimentOf = (rows: Record<number, { sum: number; count: number }>) =>
      Object.fromEntries(Object.entries(rows).flatMap(([hour, { sum, count }]) => (count > 0 ? [[hour, { sum, count }]] : [])));

    it('should score every old human message once, add the scores to their hours, and leave AI messages and new turns alone', async () => {
      const turnsBefore = Object.fromEntries(Object.entries(await hourly()).map(([h, r]) => [h, r.turns]));
      expect(await upkeep.backfillSentiment()).toBe(OLD_HUMAN.length);
      expect(scorer.scored).toEqual(OLD_HUMAN);
      const rows = await messages();
      expect(rows.map((m) => [m.sender, m.content, m.sentiment])).toEqual([
        ...OLD_MESSAGES.map(([, sender, content]) => [sender, content, sender === 'Human' ? SCORES[content] : null]),
        ['Human', 'new turn', 0.25],
        ['AI', 'd', null],
      ]);
      const after = await hourly();
      expect(sentimentOf(after)).toEqual(await scoresByHour());
      expect(after[hourOf(at('2026-11-20T10:00:00.000Z'))]).toEqual({ turns: 2, sum: 0.5, count: 2 });
      expect(Object.fromEntries(Object.entries(after).map(([h, r]) => [h, r.turns]))).toEqual(turnsBefore);

      expect(await upkeep.backfillSentiment()).toBe(0);
      expect(scorer.scored).toEqual(OLD_HUMAN);
      expect(await hourly()).toEqual(after);
      expect(await messages()).toEqual(rows);
    });

    it('should stop after its batch budget, oldest first, and go on from there on the next run', async () => {
      expect(await upkeep.backfillSentiment({ batchSize: 2, batches: 2 })).toBe(4);
      expect(scorer.scored).toEqual(OLD_HUMAN.slice(0, 4));
      const unscored = (await messages()).filter((m) => m.sender === 'Human' && m.sentiment === null).map((m) => m.content);
      expect(unscored).toEqual(OLD_HUMAN.slice(4));
      expect(sentimentOf(await hourly())).toEqual(await scoresByHour());
      expect(await upkeep.backfillSentiment({ batchSize: 2, batches: 2 })).toBe(1);
      expect(sentimentOf(await hourly())).toEqual(await scoresByHour());
    });

    it('should count each message once when two runs score the same batch at once', async () => {
      // Both runs read the batch before either stores it, as two instances whose guards both failed open.
      let arrived = 0;
      let bothRead: () => void;
      const read = new Promise<void>((resolve) => (bothRead = resolve));
      class RacingStore extends SqlUsageUpkeepStore {
        override async unscoredMessages(limit: number) {
          const found = await super.unscoredMessages(limit);
          if (++arrived === 2) bothRead();
          await read;
          return found;
        }
      }
      const one = new UsageUpkeepService(new RacingStore(sql), scorer, clock, jobs);
      const other = new UsageUpkeepService(new RacingStore(sql), scorer, clock, jobs);
      const [a, b] = await Promise.all([one.backfillSentiment(), other.backfillSentiment()]);
      expect(a + b).toBe(OLD_HUMAN.length);
      expect(scorer.scored).toEqual([...OLD_HUMAN, ...OLD_HUMAN]);
      expect(sentimentOf(await hourly())).toEqual(await scoresByHour());
    });

    it('should run once per period across instances', async () => {
      const other = new UsageUpkeepService(new SqlUsageUpkeepStore(sql), scorer, clock, jobs);
      await upkeep.runSentimentBackfill();
      await sql.run(`INSERT INTO chat_messages (session_id, sender, content, "timestamp") VALUES ('s1', 'Human', 'meh', '2026-11-20T12:00:00.000Z')`);
      await other.runSentimentBackfill();
      expect(scorer.scored).toEqual(OLD_HUMAN);
      clock.advance(SENTIMENT_BACKFILL_SCHEDULE.periodMs);
      await other.runSentimentBackfill();
      expect(scorer.scored).toEqual([...OLD_HUMAN, 'meh']);
      expect(sentimentOf(await hourly())).toEqual(await scoresByHour());
    });

    it('should find unscored messages, and prune marks, through indexes, without scanning a table', async () => {
      const recording = new RecordingSql(sql);
      const upkeepStore = new SqlUsageUpkeepStore(recording);
      await upkeepStore.unscoredMessages(500);
      await upkeepStore.pruneActiveUserMarks(at('2026-11-22T12:30:00.000Z'), 1000);
      const [find, ...prunes] = await Promise.all(recording.statements.map((s) => explain(sql, s.sql, s.params)));
      expect(prunes).toHaveLength(2);
      const all = [find, ...prunes].join('\n');
      if (sql.dialect === 'sqlite') {
        expect(find).toMatch(/^SCAN chat_messages USING INDEX idx_chat_messages_unscored$/m);
        expect(all.split('\n').filter((line) => /\bSCAN\b/.test(line) && !/USING (COVERING )?INDEX idx_chat_messages_unscored/.test(line))).toEqual([]);
        for (const prune of prunes) {
          expect(prune).toMatch(/SEARCH usage_active_users USING (COVERING )?INDEX sqlite_autoindex_usage_active_users_1 \(span=\? AND period_start<\?\)/);
          expect(prune).toMatch(/SEARCH usage_active_users USING INTEGER PRIMARY KEY \(rowid=\?\)/);
        }
      } else {
        expect(find).toMatch(/Index Scan using idx_chat_messages_unscored on chat_messages/);
        expect(all.split('\n').filter((line) => /Seq Scan/.test(line))).toEqual([]);
        for (const prune of prunes) {
          expect(prune).toMatch(/Index (Only )?Scan using \S+ on usage_active_users .*\n\s+Index Cond: \(\(span = \d+\) AND \(period_start <= \d+\)\)/);
          expect(prune).toMatch(/Tid Scan on usage_active_users/);
        }
      }
    });
  });
});
