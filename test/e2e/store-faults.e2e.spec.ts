import type { LoggerService } from '@nestjs/common';
import type { Database } from 'better-sqlite3';
import { DataSource } from 'typeorm';
import { sqliteConnection } from '../../src/database/sqlite-sql';
import { say } from '../support/http-helpers';
import { createTestApp, TestApp } from '../support/test-app';

/** Keeps what the app logs, so a test can count the lines an outage makes. */
class RecordingLogger implements LoggerService {
  readonly lines: string[] = [];
  log = (message: unknown) => this.lines.push(`LOG ${String(message)}`);
  error = (message: unknown) => this.lines.push(`ERROR ${String(message)}`);
  warn = (message: unknown) => this.lines.push(`WARN ${String(message)}`);
  debug = () => undefined;
  verbose = () => undefined;
  /** Error lines other than Terminus' report of each failed probe (said by the probe's caller's rate). */
  unexpectedErrors(): string[] {
    return this.lines.filter((line) => line.startsWith('ERROR') && !line.startsWith('ERROR Health Check has failed!'));
  }
  count(pattern: RegExp): number {
    return this.lines.filter((line) => pattern.test(line)).length;
  }
}

const BIG_PROMPT = 'A prompt longer than a page of the database file. '.repeat(400);

describe('the SQLite store failing', () => {
  let t: TestApp;
  let db: Database;
  let logger: RecordingLogger;

  beforeEach(async () => {
    logger = new RecordingLogger();
    t = await createTestApp({ logger });
    db = sqliteConnection(t.app.get(DataSource));
  });
  afterEach(() => t.dispose());

  /** message_count matches the rows of every session, and the totals match the rows. */
  function consistency() {
    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    return {
      mismatched: db
        .prepare('SELECT session_id FROM chat_sessions s WHERE message_count <> (SELECT COUNT(*) FROM chat_messages m WHERE m.session_id = s.session_id)')
        .all(),
      totals: db.prepare('SELECT sessions, messages FROM chat_totals WHERE id = 1').get(),
      rows: { sessions: count('SELECT COUNT(*) AS n FROM chat_sessions'), messages: count('SELECT COUNT(*) AS n FROM chat_messages') },
    };
  }

  async function ready() {
    return t.http().get('/api/health/ready');
  }

  it('should answer 507 storage_full when the database has no room, be unready, and recover when room is made', async () => {
    const session = (await say(t, 'before the disk fills')).session_id;
    // What a full disk does to SQLite, on demand: the file may not grow past the pages it has now.
    db.pragma('max_page_count = 1');

    const turns = await Promise.all(
      Array.from({ length: 12 }, (_, i) => t.http().post('/api/generate/').send({ prompt: `${i} ${BIG_PROMPT}`, session_id: i % 2 ? session : undefined })),
    );
    expect(turns.map((r) => r.status)).toEqual(new Array(12).fill(507));
    expect(turns[0].body).toEqual({ status: 507, code: 'storage_full', detail: expect.stringContaining('no room') });
    const probe = await ready();
    expect(probe.status).toBe(503);
    expect(probe.body.error.database).toEqual(expect.objectContaining({ status: 'down', message: expect.stringContaining('no room') }));
    // Reads still work.
    await t.http().post('/api/get_history/').send({ session_id: session }).expect(200);

    db.pragma('max_page_count = 1073741823');
    await say(t, BIG_PROMPT, session);
    expect((await ready()).status).toBe(200);
    const { mismatched, totals, rows } = consistency();
    expect(mismatched).toEqual([]);
    expect(totals).toEqual(rows);
    expect(rows.messages).toBe(4);
    expect(logger.count(/^WARN/)).toBe(1);
    expect(logger.count(/Database is failing/)).toBe(1);
    expect(logger.count(/Database recovered/)).toBe(1);
    expect(logger.unexpectedErrors()).toEqual([]);
  });

  it('should answer 503 store_unavailable when the file is read-only, be unready, and recover when it is writable', async () => {
    const session = (await say(t, 'before the file turns read-only')).session_id;
    // Tests run as root, which writes through chmod; query_only makes SQLite refuse every write with
    // SQLITE_READONLY, as a read-only file or mount does.
    db.pragma('query_only = ON');

    const turns = await Promise.all(Array.from({ length: 10 }, (_, i) => t.http().post('/api/generate/').send({ prompt: `ro ${i}`, session_id: session })));
    expect(turns.map((r) => r.status)).toEqual(new Array(10).fill(503));
    expect(turns[0].body).toEqual({ status: 503, code: 'store_unavailable', detail: expect.stringContaining('read-only') });
    const probe = await ready();
    expect(probe.status).toBe(503);
    expect(probe.body.error.database).toEqual(expect.objectContaining({ status: 'down', message: expect.stringContaining('read-only') }));
    const health = await t.http().get('/api/health');
    expect(health.status).toBe(503);
    expect(health.body.details.database.status).toBe('down');
    await t.http().post('/api/get_history/').send({ session_id: session }).expect(200);

    db.pragma('query_only = OFF');
    await say(t, 'after', session);
    expect((await ready()).status).toBe(200);
    const { mismatched, totals, rows } = consistency();
    expect(mismatched).toEqual([]);
    expect(totals).toEqual(rows);
    expect(rows.messages).toBe(4);
    expect(logger.count(/^WARN/)).toBe(1);
    expect(logger.count(/Database is failing/)).toBe(1);
    expect(logger.count(/Database recovered/)).toBe(1);
    expect(logger.unexpectedErrors()).toEqual([]);
  });
});
