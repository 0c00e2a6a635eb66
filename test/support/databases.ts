import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { DatabaseSettings } from '../../src/config/app-config';
import { createRedisClient } from '../../src/coordination/adapters/redis-connection';
import { loadConfig } from '../../src/config/load-config';
import { openDataSource } from '../../src/database/open-data-source';
import { Sql } from '../../src/database/sql';
import { sqlFor } from '../../src/database/sql-for';

/** A fresh, empty database of each kind the tests can reach; removed by `drop`. */
export interface ScratchDatabase {
  readonly name: string;
  readonly settings: DatabaseSettings;
  readonly url: string;
  drop(): Promise<void>;
}

export function scratchSqlite(): ScratchDatabase {
  const dir = mkdtempSync(join(tmpdir(), 'chat-medium-'));
  const path = join(dir, 'chat.db');
  return { name: 'sqlite', settings: settingsOf(`sqlite:${path}`), url: `sqlite:${path}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

/** The settings the service would build from this DATABASE_URL, default limits included. */
function settingsOf(databaseUrl: string): DatabaseSettings {
  return loadConfig({ DATABASE_URL: databaseUrl }).database;
}

/** A new database on the PostgreSQL server of TEST_POSTGRES_URL. */
export async function scratchPostgres(serverUrl: string): Promise<ScratchDatabase> {
  const name = `chat_test_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    name: 'postgres',
    settings: settingsOf(url.toString()),
    url: url.toString(),
    drop: async () => {
      const client = new Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/**
 * Which external services the medium tests run against. CI sets TEST_POSTGRES_URL and
 * TEST_REDIS_URL and must reach them; on a machine without them those tests are skipped, loudly.
 */
export function externalServices(): { postgres?: string; redis?: string } {
  // TEST_DATABASE_URL is the name the scaling-out work gave it; TEST_POSTGRES_URL the older one.
  const postgres = process.env.TEST_DATABASE_URL || process.env.TEST_POSTGRES_URL || undefined;
  const redis = process.env.TEST_REDIS_URL || undefined;
  if (process.env.CI === 'true' && (!postgres || !redis)) {
    throw new Error('CI must run the PostgreSQL and Redis tests: set TEST_POSTGRES_URL and TEST_REDIS_URL.');
  }
  return { postgres, redis };
}

/** Deletes every key under `prefix` (windows, their list, locks, rate-limit and sign-in counters) in the Redis at `url`. */
export async function dropRedisKeys(url: string, prefix: string): Promise<void> {
  const client = createRedisClient(url);
  await client.connect();
  try {
    for await (const keys of client.scanIterator({ MATCH: `${prefix}:*`, COUNT: 100 })) if (keys.length) await client.del(keys);
  } finally {
    client.destroy();
  }
}

/** A scratch PostgreSQL database, migrated and open, with the runner the stores take. */
export interface OpenScratchPostgres {
  readonly dataSource: DataSource;
  readonly sql: Sql;
  close(): Promise<void>;
}

export async function openScratchPostgres(serverUrl: string): Promise<OpenScratchPostgres> {
  const db = await scratchPostgres(serverUrl);
  const dataSource = await openDataSource(db.settings);
  return {
    dataSource,
    sql: sqlFor(dataSource),
    close: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      await db.drop();
    },
  };
}

/**
 * A describe block for PostgreSQL only (TEST_POSTGRES_URL): its tests share a scratch database,
 * opened before them and dropped after; without the server it is skipped, saying so.
 */
export function describeOnScratchPostgres(title: string, body: (db: { readonly sql: Sql }) => void): void {
  const { postgres } = externalServices();
  if (!postgres) console.warn(`TEST_POSTGRES_URL is not set: "${title}" is skipped.`);
  (postgres ? describe : describe.skip)(title, () => {
    let scratch: OpenScratchPostgres | undefined;
    beforeAll(async () => {
      scratch = await openScratchPostgres(postgres!);
    });
    afterAll(() => scratch?.close());
    body({
      get sql() {
        return scratch!.sql;
      },
    });
  });
}
