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
  /** Providers replaced by the given values (a port's adapter, say). */
  readonly overrides?: readonly [token: abstract new (...args: never[]) => unknown, value: unknown][];
}

/** The real AppModule on a temporary SQLite file, set up exactly as main.ts sets it up. */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'chat-sessions-'));
  const config = loadConfig({
    DATABASE_URL: `sqlite:${join(dir, 'chat.db')}`,
    RATE_LIMIT_PER_MINUTE: '0',
    LLM_PROVIDER: 'offline',
    CLIENT_DIR: join(dir, 'no-client'),
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
      await close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
