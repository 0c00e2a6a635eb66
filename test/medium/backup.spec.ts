import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load-config';
import { openDataSource } from '../../src/database/open-data-source';
import { copyStore } from '../../src/database/copy/store-copy';
import { sqlFor } from '../../src/database/sql-for';
import { runCli } from '../support/cli';
import { externalServices, ScratchDatabase, scratchPostgres, scratchSqlite } from '../support/databases';
import { startServer } from '../support/server-process';
import { countersFromRows, dumpStore, messageCountsOf, StoreDump } from '../support/store-dump';
import { waitFor } from '../support/wait-for';

jest.setTimeout(30_000);

const { postgres } = externalServices();
if (!postgres) console.warn('TEST_POSTGRES_URL is not set: restoring the backup into PostgreSQL is skipped.');

const open = (settings: ScratchDatabase['settings']) => openDataSource(settings);
const sqliteAt = (path: string) => loadConfig({ DATABASE_URL: `sqlite:${path}` }).database;

async function dumpFile(path: string): Promise<StoreDump> {
  const dataSource = await open(sqliteAt(path));
  try {
    return await dumpStore(sqlFor(dataSource));
  } finally {
    await dataSource.destroy();
  }
}

describe('the backup command', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'chat-backup-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('should snapshot the store under write load: intact, counters equal to rows, restorable by copy-store', async () => {
    const store = join(dir, 'chat.db');
    const snapshot = join(dir, 'backups', 'snapshot.db');
    const server = await startServer({ DATABASE_URL: `sqlite:${store}` });
    let acknowledged = 0;
    const failures: string[] = [];
    let stop = false;
    const worker = async (w: number) => {
      let sessionId: string | undefined;
      for (let i = 0; !stop && i < 5000; i++) {
        const res = await fetch(`${server.url}/api/generate/`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ prompt: `worker ${w} turn ${i} ✨`, session_id: i % 5 === 0 ? undefined : sessionId }),
        });
        if (res.status !== 200) failures.push(`${res.status} ${await res.text()}`);
        else sessionId = ((await res.json()) as { session_id: string }).session_id;
        acknowledged++;
      }
    };
    try {
      const workers = Array.from({ length: 6 }, (_, w) => worker(w));
      await waitFor(() => acknowledged >= 150, '150 turns before the backup', 15_000);
      const backup = await runCli('backup', ['--to', snapshot], { env: { DATABASE_URL: `sqlite:${store}` }, cwd: dir });
      const atBackup = acknowledged;
      await waitFor(() => acknowledged >= atBackup + 50, '50 more turns after the backup', 15_000);
      stop = true;
      await Promise.all(workers);
      expect(backup.stderr).toMatch(/^backup: .+ -> .+snapshot\.db: \d+ sessions, \d+ messages, [\d.]+ MiB in [\d.]+ s\n$/);
      expect(backup.code).toBe(0);
      expect(failures).toEqual([]);
    } finally {
      stop = true;
      server.kill();
      await server.exited;
    }

    const check = new Database(snapshot, { readonly: true });
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(check.pragma('foreign_key_check')).toEqual([]);
    check.close();
    const taken = await dumpFile(snapshot);
    const live = await dumpFile(store);
    expect(taken.messages.length).toBeGreaterThanOrEqual(150);
    expect(taken.messages.length).toBeLessThan(live.messages.length);
    const expected = countersFromRows(taken);
    expect(messageCountsOf(taken)).toEqual(expected.messageCounts);
    expect(taken.activity).toEqual(expected.activity);
    expect(taken.totals).toEqual(expected.totals);
    const liveById = new Map(live.messages.map((m) => [m.id, m]));
    expect(taken.messages.filter((m) => JSON.stringify(liveById.get(m.id)) !== JSON.stringify(m))).toEqual([]);

    const targets = [scratchSqlite(), ...(postgres ? [await scratchPostgres(postgres)] : [])];
    for (const targetDb of targets) {
      const [from, target] = await Promise.all([open(sqliteAt(snapshot)), open(targetDb.settings)]);
      try {
        await copyStore(from, target);
        expect(await dumpStore(sqlFor(target))).toEqual(taken);
      } finally {
        await Promise.all([from.destroy(), target.destroy()]);
        await targetDb.drop();
      }
    }
  });

  it('should refuse to overwrite a file unless forced', async () => {
    const store = join(dir, 'chat.db');
    const source = await open(sqliteAt(store));
    await source.destroy();
    const existing = join(dir, 'existing.db');
    writeFileSync(existing, 'keep me');
    const env = { DATABASE_URL: `sqlite:${store}` };

    const refused = await runCli('backup', ['--to', existing], { env, cwd: dir });
    expect(refused).toMatchObject({ code: 1, stderr: `backup: ${existing} already exists: pass --force to overwrite it\n` });
    expect(readFileSync(existing, 'utf8')).toBe('keep me');

    const forced = await runCli('backup', ['--to', existing, '--force'], { env, cwd: dir });
    expect(forced.code).toBe(0);
    expect(await dumpFile(existing)).toEqual(await dumpFile(store));
  });

  it('should say what to use instead for PostgreSQL, and exit non-zero for a missing store', async () => {
    const pg = await runCli('backup', ['--to', join(dir, 'x.db')], { env: { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/chat' }, cwd: dir });
    expect(pg.code).toBe(2);
    expect(pg.stderr).toMatch(/^backup: DATABASE_URL is PostgreSQL: back it up with pg_dump .*\n$/);
    const missing = await runCli('backup', ['--to', join(dir, 'x.db')], { env: { DATABASE_URL: `sqlite:${join(dir, 'none.db')}` }, cwd: dir });
    expect(missing).toMatchObject({ code: 1, stderr: `backup: the store ${join(dir, 'none.db')} does not exist\n` });
  });
});

