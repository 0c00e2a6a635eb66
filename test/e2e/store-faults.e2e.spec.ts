import type { LoggerService } from '@nestjs/common';
import type { Database } from 'better-sqlite3';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { sqliteConnection } from '../../src/database/sqlite-sql';
import { externalServices, ScratchDatabase, scratchPostgres } from '../support/databases';
import { say } from '../support/http-helpers';
import { startServer, ServerProcess } from '../support/server-process';
import { TcpProxy } from '../support/tcp-proxy';
import { createTestApp, TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

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
      // chat_totals holds one row per counter shard.
      totals: db.prepare('SELECT SUM(sessions) AS sessions, SUM(messages) AS messages FROM chat_totals').get(),
      rows: { sessions: count('SELECT COUNT(*) AS n FROM chat_sessions'), messages: count('SELECT COUNT(*) AS n FROM chat_messages') },
    };
  }

  async function ready() {
    return t.http().get('/api/health/ready');
  }

  it('should answer 507 storage_full when the database has no room, be unready, and recover when room is made', async () => {
    const session = (await say(t, 'before the disk fills')).session_id;
    // What a full disk does to SQLite, on demand: no free page left inside the file (VACUUM drops
    // those the migrations freed), and the file may not grow past the pages it has now.
    db.exec('VACUUM');
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
    await expectRecoveredFromOneOutage();
  });

  /** Ready again, counters equal to the rows (two turns kept), and the outage said once, as a warning and a recovery. */
  async function expectRecoveredFromOneOutage(): Promise<void> {
    expect((await ready()).status).toBe(200);
    const { mismatched, totals, rows } = consistency();
    expect(mismatched).toEqual([]);
    expect(totals).toEqual(rows);
    expect(rows.messages).toBe(4);
    expect(logger.count(/^WARN/)).toBe(1);
    expect(logger.count(/Database is failing/)).toBe(1);
    expect(logger.count(/Database recovered/)).toBe(1);
    expect(logger.unexpectedErrors()).toEqual([]);
  }

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
    await expectRecoveredFromOneOutage();
  });
});

const { postgres } = externalServices();
if (!postgres) console.warn('Skipping the PostgreSQL fault tests: TEST_POSTGRES_URL is not set.');
const describePostgres = postgres ? describe : describe.skip;

interface TurnResult {
  readonly status: number;
  readonly ms: number;
  readonly prompt: string;
  readonly body: { code?: string; detail?: string; session_id?: string; response?: string };
}

/** Small timeouts so that every answer under a fault is due well inside the test's bound. */
const LIMITS = { DATABASE_CONNECT_TIMEOUT_MS: '500', DATABASE_STATEMENT_TIMEOUT_MS: '1000', DATABASE_POOL_SIZE: '4' };
/** The longest any request may take while the database is cut or blackholed. */
const BOUND_MS = 3000;

describePostgres('the PostgreSQL store failing (through a TCP proxy)', () => {
  let scratch: ScratchDatabase;
  let proxy: TcpProxy;
  let server: ServerProcess;
  const results: TurnResult[] = [];
  let prompts = 0;

  beforeAll(async () => {
    scratch = await scratchPostgres(postgres!);
    const target = new URL(scratch.url);
    proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 5432) });
    const viaProxy = new URL(scratch.url);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    server = await startServer({ DATABASE_URL: viaProxy.toString(), ...LIMITS });
  }, 20_000);

  afterAll(async () => {
    server?.kill();
    await server?.exited;
    await proxy?.close();
    await scratch?.drop();
  });

  async function turn(sessionId?: string): Promise<TurnResult> {
    const prompt = `turn ${++prompts}`;
    const started = Date.now();
    const res = await fetch(`${server.url}/api/generate/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ prompt, session_id: sessionId }),
      signal: AbortSignal.timeout(10_000),
    });
    const result: TurnResult = { status: res.status, ms: Date.now() - started, prompt, body: (await res.json()) as TurnResult['body'] };
    results.push(result);
    return result;
  }

  /** A few clients sending turns one after another on their own sessions, for `ms`. */
  async function load(ms: number, sessions: string[]): Promise<TurnResult[]> {
    const until = Date.now() + ms;
    const worker = async (sessionId: string) => {
      const mine: TurnResult[] = [];
      while (Date.now() < until) mine.push(await turn(sessionId));
      return mine;
    };
    return (await Promise.all(sessions.map(worker))).flat();
  }

  async function readiness() {
    const started = Date.now();
    const res = await fetch(`${server.url}/api/health/ready`, { signal: AbortSignal.timeout(10_000) });
    const body = (await res.json()) as { error?: { database?: { status: string; message: string } } };
    return { status: res.status, body, ms: Date.now() - started };
  }

  async function expectOutage(sessions: string[]): Promise<void> {
    const during = await load(1200, sessions);
    expect(during.length).toBeGreaterThan(0);
    expect(during.filter((r) => r.status !== 503)).toEqual([]);
    expect(during[0].body).toEqual({ status: 503, code: 'store_unavailable', detail: expect.stringContaining('database') });
    expect(Math.max(...during.map((r) => r.ms))).toBeLessThan(BOUND_MS);
    const ready = await readiness();
    expect(ready.status).toBe(503);
    expect(ready.body.error?.database?.status).toBe('down');
    expect(ready.ms).toBeLessThan(BOUND_MS);
  }

  async function expectRecovery(sessions: string[]): Promise<void> {
    await waitFor(async () => (await readiness()).status === 200, 'readiness after the database came back', 8000);
    const after = await load(300, sessions);
    expect(after.filter((r) => r.status !== 200)).toEqual([]);
  }

  it('should answer 503 store_unavailable in bounded time while cut or blackholed, recover without a restart, and lose nothing acknowledged', async () => {
    const sessions = await Promise.all([0, 1, 2, 3].map(async () => (await turn()).body.session_id!));
    expect((await load(300, sessions)).filter((r) => r.status !== 200)).toEqual([]);

    proxy.cut();
    await expectOutage(sessions);
    await proxy.restore();
    await expectRecovery(sessions);

    proxy.blackhole();
    await expectOutage(sessions);
    await proxy.restore();
    await expectRecovery(sessions);

    expect(results.filter((r) => r.status !== 200 && r.status !== 503)).toEqual([]);
    await expectStoredExactlyOnce(results.filter((r) => r.status === 200));
    const log = server.output();
    expect(log.match(/Database is failing/g)).toHaveLength(2);
    expect(log.match(/Database recovered/g)).toHaveLength(2);
    expect(log).not.toMatch(/\n\s+at /);
    expect(log).not.toMatch(/store_unavailable/);
  }, 30_000);

  /** Every turn answered 200 is stored once, Human and AI; counters and totals match the rows. */
  async function expectStoredExactlyOnce(acknowledged: TurnResult[]): Promise<void> {
    const client = new Client({ connectionString: scratch.url });
    await client.connect();
    try {
      const humans = await client.query<{ session_id: string; content: string; n: string }>(
        "SELECT session_id, content, COUNT(*) AS n FROM chat_messages WHERE sender = 'Human' GROUP BY session_id, content",
      );
      const stored = new Map(humans.rows.map((r) => [`${r.session_id} ${r.content}`, Number(r.n)]));
      expect(acknowledged.filter((r) => stored.get(`${r.body.session_id} ${r.prompt}`) !== 1)).toEqual([]);
      const ais = await client.query<{ content: string }>("SELECT content FROM chat_messages WHERE sender = 'AI'");
      const answers = new Set(ais.rows.map((r) => r.content));
      expect(acknowledged.filter((r) => !answers.has(r.body.response!))).toEqual([]);
      const mismatched = await client.query(
        'SELECT session_id FROM chat_sessions s WHERE message_count <> (SELECT COUNT(*) FROM chat_messages m WHERE m.session_id = s.session_id)',
      );
      expect(mismatched.rows).toEqual([]);
      const totals = await client.query(
        `SELECT SUM(t.sessions)::int AS sessions, SUM(t.messages)::int AS messages,
                (SELECT COUNT(*) FROM chat_sessions)::int AS session_rows, (SELECT COUNT(*) FROM chat_messages)::int AS message_rows
         FROM chat_totals t`,
      );
      const { sessions, messages, session_rows, message_rows } = totals.rows[0];
      expect({ sessions, messages }).toEqual({ sessions: session_rows, messages: message_rows });
    } finally {
      await client.end();
    }
  }
});
