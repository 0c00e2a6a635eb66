import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { AppModule } from '../../src/app.module';
import { Clock } from '../../src/common/clock';
import { AppConfig } from '../../src/config/app-config';
import { loadConfig } from '../../src/config/load-config';
import { setupApp } from '../../src/setup-app';

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
}

/** The real AppModule on a temporary SQLite file, set up exactly as main.ts sets it up. */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'chat-sessions-'));
  const signedIn = process.env.TEST_AUTH_MODE === 'jwt' && options.env?.AUTH_MODE === undefined;
  const config = loadConfig({
    DATABASE_URL: `sqlite:${join(dir, 'chat.db')}`,
    RATE_LIMIT_PER_MINUTE: '0',
    LLM_PROVIDER: 'offline',
    CLIENT_DIR: join(dir, 'no-client'),
    // A year: the suites move manual clocks by days.
    ...(signedIn ? { AUTH_MODE: 'jwt', JWT_SECRET: TEST_JWT_SECRET, JWT_EXPIRES_IN_SECONDS: '31536000' } : {}),
    ...options.env,
  });
  let builder = Test.createTestingModule({ imports: [AppModule.forRoot(config)] });
  if (options.clock) builder = builder.overrideProvider(Clock).useValue(options.clock);
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
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const TEST_JWT_SECRET = 'secret-of-the-test-account-at-least-32-chars';
const TEST_ACCOUNT = { username: 'tester', password: 'tester password' };

/** The test account's token: registered on a fresh database (so it is the admin), signed in after a restart. */
async function testAccountToken(app: NestExpressApplication): Promise<string> {
  const registered = await request(app.getHttpServer()).post('/api/auth/register').send(TEST_ACCOUNT);
  if (registered.status === 201) return registered.body.access_token;
  const login = await request(app.getHttpServer()).post('/api/auth/login').send(TEST_ACCOUNT).expect(200);
  return login.body.access_token;
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
