import { DataSource } from 'typeorm';
import { openDataSource } from '../../src/database/open-data-source';
import { sqlFor } from '../../src/database/sql-for';
import { SqlSessionOrganiser } from '../../src/sessions/adapters/sql-session-organiser';
import { SqlSessionStore } from '../../src/sessions/adapters/sql-session-store';
import { AfinnSentimentScorer } from '../../src/sentiment/adapters/afinn-sentiment-scorer';
import { EVERYONE } from '../../src/sessions/domain/session';
import { SqlSessionSettingsStore } from '../../src/settings/adapters/sql-session-settings-store';
import { EXPORT_PAGE_SIZE, ExportService } from '../../src/transfer/export.service';
import { externalServices, ScratchDatabase, scratchPostgres, scratchSqlite } from '../support/databases';
import { ManualClock } from '../support/manual-clock';
import { RecordingSql } from '../support/recording-sql';

const { postgres } = externalServices();
if (!postgres) console.warn('TEST_POSTGRES_URL is not set: the PostgreSQL half of the export read tests is skipped.');

const dialects: [string, () => Promise<ScratchDatabase>][] = [['sqlite', async () => scratchSqlite()]];
if (postgres) dialects.push(['postgres', () => scratchPostgres(postgres)]);

/** More than one page, the last one partly full. */
const SESSIONS = EXPORT_PAGE_SIZE + 10;
const PAGES = Math.ceil(SESSIONS / EXPORT_PAGE_SIZE);

const idOf = (i: number) => `s${String(i).padStart(3, '0')}`;

interface ExportedSession {
  id: string;
  pinned: boolean;
  tags: string[];
  settings: { system_prompt: string } | null;
  messages: { content: string }[];
}

describe.each(dialects)('%s: the reads of an export', (_dialect, scratch) => {
  let db: ScratchDatabase;
  let dataSource: DataSource;
  let sql: RecordingSql;
  let service: ExportService;

  beforeEach(async () => {
    db = await scratch();
    dataSource = await openDataSource(db.settings);
    sql = new RecordingSql(sqlFor(dataSource));
    const store = new SqlSessionStore(sql, new AfinnSentimentScorer());
    service = new ExportService(store, new SqlSessionSettingsStore(sql), new SqlSessionOrganiser(sql), new ManualClock());
    // Every third session has its own settings, every fifth is pinned and tagged.
    for (let i = 0; i < SESSIONS; i++) {
      const id = idOf(i);
      await store.importSession(EVERYONE, {
        sessionId: id,
        chatName: id,
        createdAt: new Date('2025-01-01T00:00:00Z'),
        messages: [{ sender: 'Human', content: `hello from ${id}`, timestamp: new Date('2025-01-01T00:00:01Z') }],
        settings: i % 3 === 0 ? { systemPrompt: `prompt of ${id}`, model: null, temperature: null, memory: { strategy: 'window', maxHistory: 10, maxTokens: null }, setAt: new Date() } : null,
        organisation: i % 5 === 0 ? { pinned: true, archived: false, tags: [`tag-${id}`] } : null,
      });
    }
    sql.statements.length = 0;
  });
  afterEach(async () => {
    if (dataSource.isInitialized) await dataSource.destroy();
    await db.drop();
  });

  /** Statements run so far, by the table they read. */
  function readsOf(): Record<string, number> {
    const reads: Record<string, number> = {};
    for (const { sql: statement } of sql.statements) {
      const table = /\bFROM (\w+)/.exec(statement)?.[1] ?? statement;
      reads[table] = (reads[table] ?? 0) + 1;
    }
    return reads;
  }

  it('should read a page of sessions with their organisation and settings in three reads, and each session\'s messages in one', async () => {
    let text = '';
    for await (const piece of service.all(EVERYONE)) text += piece;
    const exported = (JSON.parse(text) as { sessions: ExportedSession[] }).sessions;

    // Per page: the sessions (pinned and archived with them), their tags, their settings; the walk ends on an empty page.
    expect(readsOf()).toEqual({ chat_sessions: PAGES + 1, session_tags: PAGES, session_settings: PAGES, chat_messages: SESSIONS });
    // Each with its own, not a neighbour's.
    expect(exported).toHaveLength(SESSIONS);
    for (const [i, session] of exported.entries()) {
      const id = idOf(i);
      expect(session).toMatchObject({
        id,
        pinned: i % 5 === 0,
        tags: i % 5 === 0 ? [`tag-${id}`] : [],
        settings: i % 3 === 0 ? expect.objectContaining({ system_prompt: `prompt of ${id}` }) : null,
        messages: [expect.objectContaining({ content: `hello from ${id}` })],
      });
    }
  });

  it('should read one session with its organisation, its settings and its messages', async () => {
    const archived = await service.one(EVERYONE, 's000');
    expect(archived).toMatchObject({ organisation: { pinned: true, tags: ['tag-s000'] }, settings: { systemPrompt: 'prompt of s000' }, messages: [expect.anything()] });
    expect(readsOf()).toEqual({ chat_sessions: 1, session_tags: 1, session_settings: 1, chat_messages: 1 });
  });
});
