import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import express, { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { errorBody } from './common/http/error-body';
import { validationPipe } from './common/http/validation';
import { AppConfig } from './config/app-config';
import { hardenServer } from './http-server';
import { missingAssets } from './web-client';

/** The largest body accepted: room for a maximal prompt even if every character is escaped. */
function bodyLimit(config: AppConfig): number {
  return Math.max(1_048_576, config.maxPromptChars * 12 + 65_536);
}

/** Everything about the HTTP surface that is not a route: the same for the server and the tests. */
export function setupApp(app: NestExpressApplication, config: AppConfig): void {
  hardenServer(app.getHttpServer(), config);
  app.setGlobalPrefix('api');
  app.disable('x-powered-by');
  // API replies change with every call: hashing each body for an ETag costs more than it saves.
  app.set('etag', false);
  app.use('/api/docs', helmet({ contentSecurityPolicy: false }));
  // Served over plain HTTP behind a TLS proxy as often as not: do not force the browser to https.
  app.use(helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }));
  if (config.corsOrigins.length > 0) {
    app.enableCors({ origin: [...config.corsOrigins], exposedHeaders: ['X-Total-Count', 'Retry-After'] });
  }
  app.use('/assets', missingAssets(config));
  app.use(requireJsonBody);
  app.use(express.json({ limit: bodyLimit(config), strict: true }));
  app.use(rejectUnsafeJson);
  app.use(parserErrors);
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

/** A body that is not JSON is refused with 415 before anything reads it. */
function requireJsonBody(req: Request, res: Response, next: NextFunction): void {
  const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  if (hasBody && !req.is(['application/json', 'application/*+json'])) {
    res.status(415).json({ status: 415, code: 'unsupported_media_type', detail: 'The request body must be JSON (Content-Type: application/json).' });
    return;
  }
  next();
}

const MAX_JSON_DEPTH = 16;
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** No request of ours nests deeply or names prototype keys: refuse such bodies before anything walks them. */
function rejectUnsafeJson(req: Request, res: Response, next: NextFunction): void {
  const problem = unsafeJson(req.body);
  if (!problem) return next();
  res.status(400).json({ status: 400, code: 'validation_failed', detail: problem });
}

function unsafeJson(body: unknown): string | undefined {
  const stack: [unknown, number][] = [[body, 0]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_JSON_DEPTH) return `The request body nests deeper than ${MAX_JSON_DEPTH} levels.`;
    for (const key of Object.keys(value)) {
      if (UNSAFE_KEYS.has(key)) return `The request body may not contain the key "${key}".`;
      stack.push([(value as Record<string, unknown>)[key], depth + 1]);
    }
  }
  return undefined;
}

function parserErrors(error: unknown, _req: Request, res: Response, next: NextFunction): void {
  if (res.headersSent) return next(error);
  const body = errorBody(error);
  res.status(body.status).json(body);
}
