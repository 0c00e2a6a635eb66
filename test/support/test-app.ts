import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { Keyv } from 'keyv';
import request from 'supertest';
import { AppModule } from '../../src/app.module';
import { Clock } from '../../src/common/clock';
import { AppConfig } from '../../src/config/app-config';
import { loadConfig } from '../../src/config/load-config';
import { setupApp } from '../../src/setup-app';
import { externalServices, scratchPostgres } from './databases';

export interface TestApp {
  readonly app: NestExpressApplication;
  readonly config: AppConfig;
  readonly dir: string;
  readonly http: () => ReturnType<typeof request>;
  /** Closes the app; the database file stays until `dispose`. */
  close(): Promise<void>;
  dispose(): Promise<void>;
}

export interface TestAppOptions {
  /** Environment on top of the test defaults (a fresh SQLite file, no rate limit, offline model). */
  readonly env?: Record<string, string>;
  /** Reuse the database directory of an earlier app (a restart). */
  readonly dir?: string;
  readonly clock?: Clock;
  /** `postgres`: a scratch database on TEST_POSTGRES_URL's server, dropped by `dispose`. */
  readonly store?: TestStore;
  /** Providers replaced by the given values (a port's adapter, say). */
  readonly overrides?: readonly [token: abstract new (...args: never[]) => unknown, value: unknown][];
}

export type TestStore = 'sqlite' | 'postgres';

/** The stores an e2e suite runs on: SQLite always, PostgreSQL when TEST_POSTGRES_URL is set. */
export function testStores(): TestStore[] {
  if (externalServices().postgres) return ['sqlite', 'postgres'];
  console.warn('TEST_POSTGRES_URL is not set: the PostgreSQL half of this suite is skipped.');
  return ['sqlite'];
}

/**
 * Set by the `e2e-shared` Jest project: every test app that names no store of its own runs on a
 * scratch PostgreSQL database and on Redis under a namespace of its own, both removed by `dispose`.
 */
const SHARED_STORES = process.env.E2E_SHARED_STORES === '1';

/** The real AppModule on a temporary SQLite file (or the shared stores), set up exactly as main.ts sets it up. */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'chat-sessions-'));
  const store = options.store ?? (SHARED_STORES ? 'postgres' : 'sqlite');
  const scratch = store === 'postgres' ? await scratchPostgres(externalServices().postgres!) : undefined;
  const redis = SHARED_STORES && !options.env?.REDIS_URL ? { REDIS_URL: externalServices().redis!, REDIS_PREFIX: `test-${randomUUID()}` } : {};
  const config = loadConfig({
    DATABASE_URL: scratch?.url ?? `sqlite:${join(dir, 'chat.db')}`,
    RATE_LIMIT_PER_MINUTE: '0',
    LLM_PROVIDER: 'offline',
    CLIENT_DIR: join(dir, 'no-client'),
    ...redis,
    ...options.env,
  });
  let builder = Test.createTestingModule({ imports: [AppModule.forRoot(config)] });
  if (options.clock) builder = builder.overrideProvider(Clock).useValue(options.clock);
  for (const [token, value] of options.overrides ?? []) builder = builder.overrideProvider(token).useValue(value);
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: ['error'] });
  setupApp(app, config);
  await app.init();
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await app.close();
  };
  return {
    app,
    config,
    dir,
    http: () => request(app.getHttpServer()),
    close,
    dispose: async () => {
      // The namespace of this app's keys in the shared Redis goes with it.
      if ('REDIS_PREFIX' in redis && !closed) await app.get(Keyv, { strict: false }).clear();
      await close();
      await scratch?.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
