import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import Database from 'better-sqlite3';
import { openStore } from '../../src/cli/cli-support';
import { loadConfig } from '../../src/config/load-config';
import { backupSqlite } from '../../src/database/copy/sqlite-backup';
import { MIGRATIONS } from '../../src/database/data-source-options';
import { openDataSource } from '../../src/database/open-data-source';
import { copyStore, CopyError, CopyProgress } from '../../src/database/copy/store-copy';
import { hourOf } from '../../src/database/db-time';
import { sqlFor } from '../../src/database/sql-for';
import { SqlSessionStore } from '../../src/sessions/adapters/sql-session-store';
import { AfinnSentimentScorer } from '../../src/sentiment/adapters/afinn-sentiment-scorer';
import { EVERYONE } from '../../src/sessions/domain/session';
import { SqlTemplateStore } from '../../src/settings/adapters/sql-template-store';
import { TemplateDraft } from '../../src/settings/domain/template';
import { runCli } from '../support/cli';
import { externalServices, ScratchDatabase, scratchPostgres, scratchSqlite } from '../support/databases';
import { countersFromRows, dumpStore, emptyStore, messageCountsOf, seedStore, StoreDump } from '../support/store-dump';

// The command tests start several node processes each: seconds apiece on a busy machine.
jest.setTimeout(30_000);

const { postgres } = externalServices();
if (!postgres) console.warn('TEST_POSTGRES_URL is not set: the PostgreSQL directions of the copy tests are skipped.');

type Scratch = () => Promise<ScratchDatabase>;
const sqlite: Scratch = async () => scratchSqlite();
const pg: Scratch = () => scratchPostgres(postgres!);
const directions: [string, string, Scratch, Scratch][] = [['sqlite', 'sqlite', sqlite, sqlite]];
if (postgres) directions.push(['sqlite', 'postgres', sqlite, pg], ['postgres', 'sqlite', pg, sqlite], ['postgres', 'postgres', pg, pg]);

const open = (db: ScratchDatabase) => openDataSource(db.settings);
const TEMPLATE: TemplateDraft = { name: 'Only in the target', category: 'general', systemPrompt: 'Be kind.', starterPrompts: [], model: null, temperature: null, memory: null };

function expectCountersMatchRows(dump: StoreDump): void {
  const expected = countersFromRows(dump);
  expect(messageCountsOf(dump)).toEqual(expected.messageCounts);
  expect(dump.activity).toEqual(expected.activity);
  expect(dump.lastActivity).toEqual(expected.lastActivity);
  expect(dump.totals).toEqual(expected.totals);
}

describe.each(directions)('copyStore from %s to %s', (from, _to, scratchSource, scratchTarget) => {
  // Only SQLite can hold a NUL character in text.
  const itFromSqlite = from === 'sqlite' ? it : it.skip;
  let sourceDb: ScratchDatabase;
  let targetDb: ScratchDatabase;
  let source: DataSource;
  let target: DataSource;
  let highestId: number;

  beforeAll(async () => {
    sourceDb = await scratchSource();
    source = await open(sourceDb);
    highestId = await seedStore(sqlFor(source));
  });
  afterAll(async () => {
    if (source?.isInitialized) await source.destroy();
    await sourceDb?.drop();
  });
  // One target per direction, emptied before each test: a new PostgreSQL database per test costs more than the test.
  beforeAll(async () => {
    targetDb = await scratchTarget();
    target = await open(targetDb);
  });
  afterAll(async () => {
    if (target?.isInitialized) await target.destroy();
    await targetDb?.drop();
  });
  beforeEach(() => emptyStore(sqlFor(target)));

  it('should copy every session and message with its id, times and content, and counters equal to the rows', async () => {
    const progress: CopyProgress[] = [];
    const done = await copyStore(source, target, { batchSize: 4, onProgress: (p) => void progress.push(p) });

    const original = await dumpStore(sqlFor(source));
    const copy = await dumpStore(sqlFor(target));
    expect(original.sessions.some((s) => s.message_count === 0)).toBe(true);
    expect(copy).toEqual(original);
    expect(copy.sessions).toEqual(original.sessions);
    expect(copy.messages).toEqual(original.messages);
    expect(copy.messages.map((m) => Buffer.from(m.content).toString('hex'))).toEqual(original.messages.map((m) => Buffer.from(m.content).toString('hex')));
    expect(copy.activity).toEqual(original.activity);
    expect(copy.totals).toEqual(original.totals);
    expectCountersMatchRows(copy);
    expect(done).toEqual({ sessions: 7 - 1, messages: 25, totalSessions: 6, totalMessages: 25 });
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.at(-1)).toEqual(done);
  });

  it('should carry accounts, API key hashes, session owners, settings, summaries, shares and templates with their ids', async () => {
    await copyStore(source, target, { batchSize: 1 });
    const original = await dumpStore(sqlFor(source));
    const copy = await dumpStore(sqlFor(target));
    expect([...original.users].sort((a, b) => a.username.localeCompare(b.username))).toEqual([
      expect.objectContaining({ username: 'ann', role: 'admin', password_hash: expect.stringMatching(/^scrypt\$/), oidc_subject: null }),
      expect.objectContaining({ username: 'bén', role: 'user', password_hash: null, oidc_subject: 'sso|ben' }),
    ]);
    expect(original.apiKeys.map((k) => k.last_used_at).sort()).toEqual(['2026-11-19T12:00:00.123Z', null]);
    expect(new Set(original.sessions.map((s) => s.owner_id)).size).toBe(3);
    expect(original.settings).toHaveLength(2);
    expect(original.summaries).toHaveLength(1);
    expect(original.tags).toHaveLength(1 + 2 + 3 + 3);
    expect(original.sessions.map((s) => [s.pinned, s.archived]).sort()).toEqual([[0, 0], [0, 0], [0, 0], [0, 0], [0, 1], [1, 0]]);
    expect(Math.max(...original.sessions.map((s) => s.version))).toBe(2);
    expect(copy.users).toEqual(original.users);
    expect(copy.apiKeys).toEqual(original.apiKeys);
    expect(copy.sessions).toEqual(original.sessions);
    expect(copy.settings).toEqual(original.settings);
    expect(copy.summaries).toEqual(original.summaries);
    expect(original.templates.map((t) => t.owner_id).sort()).toEqual([original.users.find((u) => u.username === 'ann')!.id, null].sort());
    expect(copy.templates).toEqual(original.templates);
    expect(original.shares).toHaveLength(1);
    expect(copy.shares).toEqual(original.shares);
    expect(copy.tags).toEqual(original.tags);
  });

  it('should come back as it was from a round trip into the other store and back', async () => {
    await copyStore(source, target);
    const backDb = await scratchSource();
    const back = await open(backDb);
    try {
      await copyStore(target, back);
      expect(await dumpStore(sqlFor(back))).toEqual(await dumpStore(sqlFor(source)));
    } finally {
      await back.destroy();
      await backDb.drop();
    }
  });

  itFromSqlite('should restore a backup snapshot (VACUUM INTO) with everything in it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chat-snapshot-'));
    try {
      const snapshotPath = join(dir, 'snapshot.db');
      backupSqlite(sourceDb.settings.type === 'sqlite' ? sourceDb.settings.path : '', snapshotPath);
      const snapshot = await openStore(loadConfig({ DATABASE_URL: `sqlite:${snapshotPath}` }).database, 'source');
      try {
        await copyStore(snapshot, target);
      } finally {
        await snapshot.destroy();
      }
      expect(await dumpStore(sqlFor(target))).toEqual(await dumpStore(sqlFor(source)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('should give a message written after the copy an id past every id the source handed out', async () => {
    await copyStore(source, target);
    const [session] = (await dumpStore(sqlFor(target))).sessions;
    const store = new SqlSessionStore(sqlFor(target), new AfinnSentimentScorer());
    const message = await store.appendMessage(EVERYONE, session.session_id, 'AI', 'after the copy', new Date('2026-11-30T00:00:00.000Z'));
    expect(message!.id).toBe(highestId + 1);
    expectCountersMatchRows(await dumpStore(sqlFor(target)));
  });

  it('should set the counters from the rows, not carry a drifted source counter over', async () => {
    const drifted = sqlFor(source);
    const before = await dumpStore(drifted);
    await drifted.run('UPDATE chat_sessions SET message_count = message_count + 3');
    await drifted.run('UPDATE chat_totals SET sessions = sessions + 5, messages = messages + 7 WHERE id = 1');
    await drifted.run('UPDATE chat_activity SET messages = messages + 1');
    try {
      await copyStore(source, target);
    } finally {
      await drifted.run('UPDATE chat_sessions SET message_count = message_count - 3');
      await drifted.run('UPDATE chat_totals SET sessions = sessions - 5, messages = messages - 7 WHERE id = 1');
      await drifted.run('UPDATE chat_activity SET messages = messages - 1');
    }
    expect(await dumpStore(drifted)).toEqual(before);
    const copy = await dumpStore(sqlFor(target));
    expect(copy).toEqual(before);
    expectCountersMatchRows(copy);
  });

  it('should copy one snapshot of a source that is written to during the copy', async () => {
    const before = await dumpStore(sqlFor(source));
    // A second data source writes, as the running service would; on PostgreSQL the pool is one already.
    const writer = source.options.type === 'postgres' ? source : await open(sourceDb);
    const store = new SqlSessionStore(sqlFor(writer), new AfinnSentimentScorer());
    let written = false;
    try {
      await copyStore(source, target, {
        batchSize: 1,
        onProgress: async (p) => {
          if (written || p.sessions < 2) return;
          written = true;
          await store.startTurn(EVERYONE, 'written-during-copy', 'late', 'Late', new Date('2026-11-29T00:00:00.000Z'));
        },
      });
      expect(written).toBe(true);
      expect(await dumpStore(sqlFor(target))).toEqual(before);
    } finally {
      await store.deleteSession(EVERYONE, 'written-during-copy');
      if (writer !== source) await writer.destroy();
    }
  });

  itFromSqlite('should copy a NUL character into SQLite and name the message it cannot copy into PostgreSQL', async () => {
    const writable = sqlFor(source);
    const [session] = (await dumpStore(writable)).sessions;
    const store = new SqlSessionStore(writable, new AfinnSentimentScorer());
    const message = await store.appendMessage(EVERYONE, session.session_id, 'AI', 'nul \u0000 inside', new Date('2026-11-29T00:00:00.000Z'));
    try {
      const copying = copyStore(source, target);
      if (target.options.type === 'postgres') {
        await expect(copying).rejects.toThrow(new CopyError(`message ${message!.id} holds a NUL character, which PostgreSQL text cannot store`));
        expect((await dumpStore(sqlFor(target))).sessions).toEqual([]);
      } else {
        await copying;
        expect((await dumpStore(sqlFor(target))).messages.at(-1)!.content).toBe('nul \u0000 inside');
      }
    } finally {
      await writable.run('DELETE FROM chat_messages WHERE id = ?', [message!.id]);
      await writable.run('UPDATE chat_sessions SET message_count = message_count - 1 WHERE session_id = ?', [session.session_id]);
      await writable.run('UPDATE chat_totals SET messages = messages - 1 WHERE id = 1');
      await writable.run('UPDATE chat_activity SET messages = messages - 1 WHERE hour = ?', [hourOf(new Date('2026-11-29T00:00:00.000Z'))]);
    }
  });

  it('should refuse a non-empty target and leave it as it was, and replace it with force', async () => {
    await copyStore(source, target);
    const store = new SqlSessionStore(sqlFor(target), new AfinnSentimentScorer());
    await store.startTurn(EVERYONE, 'only-in-target', 'extra', 'Extra', new Date('2026-11-30T00:00:00.000Z'));
    const before = await dumpStore(sqlFor(target));

    await expect(copyStore(source, target)).rejects.toThrow(new CopyError('the target is not empty (7 sessions, 26 messages, 2 users, 2 templates): pass --force to replace its contents'));
    expect(await dumpStore(sqlFor(target))).toEqual(before);

    await copyStore(source, target, { force: true });
    const replaced = await dumpStore(sqlFor(target));
    expect(replaced).toEqual(await dumpStore(sqlFor(source)));
    expectCountersMatchRows(replaced);
  });

  it('should count a target holding only templates as not empty', async () => {
    await new SqlTemplateStore(sqlFor(target)).create(null, '00000000-0000-4000-8000-00000000aaaa', TEMPLATE, new Date('2026-11-30T00:00:00.000Z'));
    await expect(copyStore(source, target)).rejects.toThrow(new CopyError('the target is not empty (0 sessions, 0 messages, 1 templates): pass --force to replace its contents'));
  });
});

describe('the copy-store command', () => {
  let sourceDb: ScratchDatabase;
  let targetDb: ScratchDatabase;

  beforeEach(async () => {
    [sourceDb, targetDb] = [scratchSqlite(), scratchSqlite()];
    const source = await open(sourceDb);
    await seedStore(sqlFor(source));
    await source.destroy();
  });
  afterEach(async () => {
    await Promise.all([sourceDb.drop(), targetDb.drop()]);
  });

  it('should copy, report progress on stderr and exit 0; then refuse the non-empty target with one line and exit 1', async () => {
    const first = await runCli('copy-store', ['--from', sourceDb.url, '--to', targetDb.url]);
    expect(first.stderr).toMatch(/^copy-store: 6\/6 sessions, 25\/25 messages, \d+\.\d s, \d+ rows\/s: done$/m);
    expect(first.code).toBe(0);
    const target = await open(targetDb);
    try {
      expect((await dumpStore(sqlFor(target))).messages).toHaveLength(25);
    } finally {
      await target.destroy();
    }

    const again = await runCli('copy-store', ['--from', sourceDb.url, '--to', targetDb.url]);
    expect(again.code).toBe(1);
    expect(again.stderr.split('\n').slice(-2)).toEqual(['copy-store: the target is not empty (6 sessions, 25 messages, 2 users, 2 templates): pass --force to replace its contents', '']);

    const forced = await runCli('copy-store', ['--from', sourceDb.url, '--to', targetDb.url, '--force']);
    expect(forced.code).toBe(0);
  });

  it('should copy from a store of an older schema without migrating it, and refuse a file that holds no store', async () => {
    const old = scratchSqlite();
    const first = await openDataSource(old.settings, { migrations: [MIGRATIONS[0]] });
    await first.query("INSERT INTO chat_sessions VALUES ('s', 'Old', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:01.000Z', 1)");
    await first.query("INSERT INTO chat_messages (session_id, sender, content, \"timestamp\") VALUES ('s', 'Human', 'from before the shards', '2026-01-01T00:00:01.000Z')");
    await first.destroy();
    const other = scratchSqlite();
    const unrelated = new Database(other.settings.type === 'sqlite' ? other.settings.path : '');
    unrelated.exec('CREATE TABLE t (x)');
    unrelated.close();
    try {
      const copied = await runCli('copy-store', ['--from', old.url, '--to', targetDb.url]);
      expect(copied.code).toBe(0);
      const check = new Database(old.settings.type === 'sqlite' ? old.settings.path : '', { readonly: true });
      expect(check.prepare('SELECT name FROM migrations').all()).toEqual([{ name: MIGRATIONS[0].name }]);
      check.close();
      const target = await open(targetDb);
      try {
        const dump = await dumpStore(sqlFor(target));
        expect(dump.messages.map((m) => m.content)).toEqual(['from before the shards']);
        expect(dump.totals).toEqual({ sessions: 1, messages: 1 });
      } finally {
        await target.destroy();
      }

      const none = await runCli('copy-store', ['--from', other.url, '--to', targetDb.url, '--force']);
      expect(none).toMatchObject({ code: 1, stderr: `copy-store: the source (${other.url}) holds no chat store: no chat_sessions and chat_messages tables\n` });
    } finally {
      await Promise.all([old.drop(), other.drop()]);
    }
  });

  it('should exit non-zero with one line for a bad URL, a missing source and an unreachable server', async () => {
    const bad = await runCli('copy-store', ['--from', 'mysql://x/y', '--to', targetDb.url]);
    expect(bad).toMatchObject({ code: 2, stderr: 'copy-store: --from must start with "sqlite:" or "postgres://" (got "mysql://x/y")\n' });
    const missing = await runCli('copy-store', ['--from', `${sourceDb.url}.missing`, '--to', targetDb.url]);
    expect(missing).toMatchObject({ code: 1, stderr: `copy-store: the source ${sourceDb.settings.type === 'sqlite' && sourceDb.settings.path}.missing does not exist\n` });
    const unreachable = await runCli('copy-store', ['--from', sourceDb.url, '--to', 'postgres://postgres:secret@127.0.0.1:1/chat']);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/^copy-store: cannot open the target \(postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/chat\): .*ECONNREFUSED.*\n$/);
  });
});
