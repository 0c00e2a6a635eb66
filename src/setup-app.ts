import { PayloadTooLargeException, RequestMethod } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import express, { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { sendError } from './common/http/json-not-found';
import { JSON_TYPES, rejectUnsafeInput, requireJsonBody } from './common/http/safe-input';
import { validationPipe } from './common/http/validation';
import { AppConfig } from './config/app-config';
import { hardenServer } from './http-server';
import { RequestLogging } from './logging/logging.module';
import { PromMetrics } from './metrics/adapters/prom-metrics';
import { requestMetrics } from './metrics/adapters/request-metrics';
import { missingAssets, strayApiPaths } from './web-client';

/** The largest body accepted: room for a maximal prompt even if every character is escaped. */
function bodyLimit(config: AppConfig): number {
  return Math.max(1_048_576, config.maxPromptChars * 12 + 65_536);
}

/** Everything about the HTTP surface that is not a route: the same for the server and the tests. */
export function setupApp(app: NestExpressApplication, config: AppConfig): void {
  hardenServer(app.getHttpServer(), config);
  app.useLogger(app.get(Logger));
  // First, so that requests the middleware below refuses are measured and logged too.
  app.use(requestMetrics(app.get(PromMetrics)));
  app.use(app.get(RequestLogging).middleware);
  // OpenAI's API lives at /v1, where its SDKs look for it (issue 15); /metrics where Prometheus looks.
  app.setGlobalPrefix('api', {
    exclude: [
      { path: 'v1/{*path}', method: RequestMethod.ALL },
      { path: 'metrics', method: RequestMethod.GET },
    ],
  });
  app.disable('x-powered-by');
  // Behind N proxies, the client is the address the Nth one from the end of X-Forwarded-For saw.
  if (config.trustProxy > 0) app.set('trust proxy', config.trustProxy);
  // API replies change with every call: hashing each body for an ETag costs more than it saves.
  app.set('etag', false);
  app.use('/api/docs', helmet({ contentSecurityPolicy: false }));
  // Served over plain HTTP behind a TLS proxy as often as not: do not force the browser to https.
  app.use(helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }));
  if (config.corsOrigins.length > 0) {
    app.enableCors({ origin: [...config.corsOrigins], exposedHeaders: ['X-Total-Count', 'Retry-After', 'X-Request-Id'] });
  }
  app.use('/assets', missingAssets(config));
  app.use(strayApiPaths);
  app.use(requireJsonBody);
  // An export file is far larger than any other body: its route reads it first, with its own limit.
  app.use('/api/sessions/import', importBody(config));
  app.use(express.json({ limit: bodyLimit(config), strict: true, type: JSON_TYPES }));
  app.use(rejectUnsafeInput);
  app.use(errorsBeforeRoutes);
  app.useGlobalPipes(validationPipe());
  SwaggerModule.setup('api/docs', app, () => openApiDocument(app), { jsonDocumentUrl: 'api/docs-json' });
}

export function openApiDocument(app: NestExpressApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Chat sessions')
    .setDescription(
      'Persistent conversations for LLM chatbots: every message stored, a windowed memory per session, ' +
        'session lists, search, history, statistics and upkeep. Every error is `{status, code, detail}`.',
    )
    .setVersion('1.0')
    // AUTH_MODE=jwt: an access token from /api/auth/login or an API key (csk_…), as a bearer token.
    .addBearerAuth()
    .addSecurityRequirements('bearer')
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** The body of an import: up to IMPORT_MAX_BYTES, with a 413 that says which limit it passed. */
function importBody(config: AppConfig) {
  const read = express.json({ limit: config.importMaxBytes, strict: true, type: JSON_TYPES });
  return (req: Request, res: Response, next: NextFunction) =>
    read(req, res, (error?: unknown) => {
      if ((error as { type?: string } | undefined)?.type !== 'entity.too.large') return next(error);
      next(new PayloadTooLargeException(`The file is larger than IMPORT_MAX_BYTES (${config.importMaxBytes} bytes): split it, or raise the limit.`));
    });
}

/** The errors of the middleware above (body reader, input checks, assets), in the one error body. */
function errorsBeforeRoutes(error: unknown, _req: Request, res: Response, next: NextFunction): void {
  if (res.headersSent) return next(error);
  sendError(res, error);
}
