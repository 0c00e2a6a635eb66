import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { AppConfig } from './config/app-config';
import { ConfigError, loadConfig, loadDotEnv } from './config/load-config';
import { setupApp } from './setup-app';

async function bootstrap(): Promise<void> {
  loadDotEnv();
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(78);
  }
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), { bodyParser: false, bufferLogs: true });
  setupApp(app, config);
  drainOnSignals(app, config);
  if (config.host === undefined) await app.listen(config.port);
  else await app.listen(config.port, config.host);
  const { port } = app.getHttpServer().address() as AddressInfo;
  if (config.auth.mode === 'off') new Logger('Bootstrap').log(offModeNotice(config));
  new Logger('Bootstrap').log(
    `Listening on http://localhost:${port} (database: ${config.database.type}, model: ${config.llm.provider}, memory: ${config.redisUrl ? 'redis' : 'in-process'})`,
  );
}

/** Without accounts, whoever reaches the port is the admin: say where that is. */
function offModeNotice(config: AppConfig): string {
  return config.host === '127.0.0.1' || config.host === 'localhost' || config.host === '::1'
    ? `AUTH_MODE=off: no sign-in, every caller is the admin; listening on ${config.host} only (set HOST and AUTH_MODE=jwt to serve others)`
    : `AUTH_MODE=off on HOST=${config.host}: no sign-in, anyone who reaches this address is the admin (set AUTH_MODE=jwt)`;
}

/**
 * On SIGTERM or SIGINT: stop accepting, let running requests and streams finish (at most the grace
 * period), close the database, exit 0.
 */
function drainOnSignals(app: NestExpressApplication, config: AppConfig): void {
  let draining = false;
  app.use((_req: unknown, res: { setHeader(name: string, value: string): void }, next: () => void) => {
    if (draining) res.setHeader('Connection', 'close');
    next();
  });
  const stop = (signal: NodeJS.Signals) => {
    if (draining) return;
    draining = true;
    new Logger('Bootstrap').log(`${signal}: draining (up to ${config.shutdownGraceMs} ms)`);
    setTimeout(() => {
      new Logger('Bootstrap').warn('Grace period over: exiting with requests still running');
      process.exit(1);
    }, config.shutdownGraceMs).unref();
    // Keep-alive connections go idle as their last response ends; close them then, not at their timeout.
    const server = app.getHttpServer() as Server;
    setInterval(() => server.closeIdleConnections(), 50).unref();
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

void bootstrap();
