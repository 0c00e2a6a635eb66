import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoggerService } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { AppModule } from '../../src/app.module';
import { AuthService } from '../../src/auth/auth.service';
import { UsernameTakenError } from '../../src/common/domain-error';
import { Clock } from '../../src/common/clock';
import { AppConfig } from '../../src/config/app-config';
import { loadConfig } from '../../src/config/load-config';
import { setupApp } from '../../src/setup-app';
import { dropRedisKeys, externalServices, scratchPostgres } from './databases';

export interface TestApp {
  readonly app: NestExpressApplication;
  readonly config: AppConfig;
  readonly dir: string;
  readonly http: () => ReturnType<typeof request>;
  /** Headers a request made without `http()` needs: the test account's token under TEST_AUTH_MODE=jwt. */
  readonly authHeaders: Record<string, string>;
  /** Closes the app; the database file stays until `dispose`. */
  close(): Promise<void>;
  dispose(): Promise<void>;
}

export interface TestAppOptions {
  /**
   * Environment on top of the test defaults (a fresh SQLite file, no rate limit, offline model).
   * Without AUTH_MODE here, TEST_AUTH_MODE=jwt runs the app with accounts and signs every `http()`
   * request in as one test account (the admin), so the existing suites run in both modes.
   */
  readonly env?: Record<string, string>;
  /** Reuse the database directory of an earlier app (a restart). */
  readonly dir?: string;
  readonly clock?: Clock;
  /** Where Nest's Logger writes (default: pino, errors only, to stdout; request lines go to pino's LogDestination). */
  readonly logger?: LoggerService;
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
  // An app on the shared Redis gets a namespace of its own unless the test names one (two apps
  // sharing it); dispose deletes what is under it, whether or not the app was closed before.
  const sharedRedis = externalServices().redis;
  const onSharedRedis = (SHARED_STORES && !options.env?.REDIS_URL) || (sharedRedis !== undefined && options.env?.REDIS_URL === sharedRedis);
  const ownPrefix = onSharedRedis && !options.env?.REDIS_PREFIX ? `test-${randomUUID()}` : undefined;
  const redis = { ...(SHARED_STORES && !options.env?.REDIS_URL ? { REDIS_URL: sharedRedis! } : {}), ...(ownPrefix ? { REDIS_PREFIX: ownPrefix } : {}) };
  const signedIn = process.env.TEST_AUTH_MODE === 'jwt' && options.env?.AUTH_MODE === undefined;
  const config = loadConfig({
    DATABASE_URL: scratch?.url ?? `sqlite:${join(dir, 'chat.db')}`,
    RATE_LIMIT_PER_MINUTE: '0',
    LLM_PROVIDER: 'offline',
    CLIENT_DIR: join(dir, 'no-client'),
    // Errors only, as Nest's console logger printed them: no line per request in the test output.
    LOG_LEVEL: 'error',
    // A year: the suites move manual clocks by days.
    ...(signedIn ? { AUTH_MODE: 'jwt', JWT_SECRET: TEST_JWT_SECRET, JWT_EXPIRES_IN_SECONDS: '31536000' } : {}),
    ...redis,
    ...options.env,
  });
  let builder = Test.createTestingModule({ imports: [AppModule.forRoot(config)] });
  if (options.clock) builder = builder.overrideProvider(Clock).useValue(options.clock);
  for (const [token, value] of options.overrides ?? []) builder = builder.overrideProvider(token).useValue(value);
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: options.logger ?? ['error'] });
  setupApp(app, config);
  // setupApp makes pino the app's logger; a test's own logger (a recorder) comes after it.
  if (options.logger) app.useLogger(options.logger);
  await app.init();
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await app.close();
  };
  const authHeaders: Record<string, string> = signedIn ? { Authorization: `Bearer ${await testAccountToken(app)}` } : {};
  return {
    app,
    config,
    dir,
    http: () => withHeaders(request(app.getHttpServer()), authHeaders),
    authHeaders,
    close,
    dispose: async () => {
      await close();
      if (ownPrefix) await dropRedisKeys(sharedRedis!, ownPrefix);
      await scratch?.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const TEST_JWT_SECRET = 'secret-of-the-test-account-at-least-32-chars';
const TEST_ACCOUNT = { username: 'tester', password: 'tester password' };

/**
 * The test account's token, made through the service rather than HTTP so it spends none of a
 * suite's rate budget: registered on a fresh database (so it is the admin), signed in after a restart.
 */
async function testAccountToken(app: NestExpressApplication): Promise<string> {
  const auth = app.get(AuthService);
  try {
    return (await auth.register(TEST_ACCOUNT.username, TEST_ACCOUNT.password)).token.token;
  } catch (error) {
    if (!(error instanceof UsernameTakenError)) throw error;
    return (await auth.login(TEST_ACCOUNT.username, TEST_ACCOUNT.password, '127.0.0.1')).token;
  }
}

const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options']);

/** A supertest agent whose every request carries `headers`. */
function withHeaders(agent: ReturnType<typeof request>, headers: Record<string, string>): ReturnType<typeof request> {
  if (Object.keys(headers).length === 0) return agent;
  return new Proxy(agent, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof property !== 'string' || !METHODS.has(property) || typeof value !== 'function') return value;
      return (...args: unknown[]) => value.apply(target, args).set(headers);
    },
  });
}
