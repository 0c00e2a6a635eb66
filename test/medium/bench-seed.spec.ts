// The benchmark's seeder writes rows directly: its counters and full-text index must say what the
// service's own writes would, or every statistic the benchmark times would be of wrong data.
import { AfinnSentimentScorer } from '../../src/sentiment/adapters/afinn-sentiment-scorer';
import { DataSource } from 'typeorm';
import { corpus, CorpusShape, PLANTED_PHRASE, Seeded, seedCorpusPostgres, seedCorpusSqlite } from '../../bench/seed.mjs';
import { parseSearchQuery } from '../../src/common/search-query';
import { openDataSource } from '../../src/database/open-data-source';
import { Sql } from '../../src/database/sql';
import { sqlFor } from '../../src/database/sql-for';
import { SqlMessageSearch } from '../../src/search/adapters/sql-message-search';
import { SqlSessionStore } from '../../src/sessions/adapters/sql-session-store';
import { EVERYONE } from '../../src/sessions/domain/session';
import { externalServices, ScratchDatabase, scratchPostgres, scratchSqlite } from '../support/databases';
import { countersFromRows, dumpStore, messageCountsOf } from '../support/store-dump';

jest.setTimeout(60_000);

const { postgres } = externalServices();
if (!postgres) console.warn('TEST_POSTGRES_URL is not set: the PostgreSQL seeder test is skipped.');

type Seeder = (db: ScratchDatabase, shape: CorpusShape) => Promise<Seeded>;
const stores: [string, () => Promise<ScratchDatabase>, Seeder][] = [['sqlite', async () => scratchSqlite(), async (db, shape) => seedCorpusSqlite(db.url.slice('sqlite:'.length), shape)]];
if (postgres) stores.push(['postgres', () => scratchPostgres(postgres), (db, shape) => seedCorpusPostgres(db.url, shape)]);

describe('corpus', () => {
  it('should make exactly the sessions and messages asked for, each session a question and an answer at least', () => {
    const sessions = [...corpus({ sessions: 37, messages: 1_001, ageDays: [0, 2] })];
    expect(sessions).toHaveLength(37);
    expect(sessions.reduce((n, s) => n + s.messages.length, 0)).toBe(1_001);
    expect(Math.min(...sessions.map((s) => s.messages.length))).toBeGreaterThanOrEqual(2);
    // Lengths vary, as real conversations do.
    expect(new Set(sessions.map((s) => s.messages.length)).size).toBeGreaterThan(5);
    expect(sessions.every((s) => s.lastActivity <= Date.now() && s.createdAt <= s.lastActivity)).toBe(true);
  });
});

describe.each(stores)('the benchmark seeder on %s', (_name, scratch, seedInto) => {
  let db: ScratchDatabase;
  let dataSource: DataSource;
  let sql: Sql;

  beforeEach(async () => {
    db = await scratch();
    await (await openDataSource(db.settings)).destroy();
  });

  afterEach(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await db.drop();
  });

  it('should keep message counts, hourly activity, totals and the full-text index in step with the rows', async () => {
    // Into a store that already holds a session written by the service: the seeder adds to its counters.
    dataSource = await openDataSource(db.settings);
    sql = sqlFor(dataSource);
    const store = new SqlSessionStore(sql, new AfinnSentimentScorer());
    await store.startTurn(EVERYONE, '00000000-0000-4000-8000-000000000001', 'written by the service', 'service', new Date());
    await dataSource.destroy();

    const first = await seedInto(db, { sessions: 12, messages: 900, ageDays: [0, 40] });
    const second = await seedInto(db, { sessions: 20, messages: 80, ageDays: [60, 90], seedValue: 3 });
    expect([first.sessions, first.messages, second.sessions, second.messages]).toEqual([12, 900, 20, 80]);

    dataSource = await openDataSource(db.settings);
    sql = sqlFor(dataSource);
    const dump = await dumpStore(sql);
    const expected = countersFromRows(dump);
    expect(dump.totals).toEqual({ sessions: 33, messages: 981 });
    expect(dump.totals).toEqual(expected.totals);
    expect(dump.activity).toEqual(expected.activity);
    expect(dump.lastActivity).toEqual(expected.lastActivity);
    expect(messageCountsOf(dump)).toEqual(expected.messageCounts);

    // Human messages carry the score the service would have given them, so no benchmark part also
    // times the background scoring of a whole corpus; answers carry none, as the service's.
    const scores = await sql.all<{ sender: string; content: string; sentiment: number | null }>('SELECT sender, content, sentiment FROM chat_messages');
    const scorer = new AfinnSentimentScorer();
    for (const m of scores) expect(m.sentiment === null ? null : Number(m.sentiment)).toBe(m.sender === 'Human' ? scorer.score(m.content) : null);

    // The history page's session is long enough for a page of 50; search finds the planted phrase.
    const history = dump.sessions.find((s) => s.session_id === first.history)!;
    expect(history.message_count).toBeGreaterThan(50);
    const planted = dump.messages.filter((m) => m.content.includes(PLANTED_PHRASE)).length;
    const found = await new SqlMessageSearch(sql).search(EVERYONE, parseSearchQuery(`"${PLANTED_PHRASE}"`), { limit: 1, offset: 0 });
    expect(planted).toBeGreaterThan(0);
    expect(found.total).toBe(planted);
  });
});
