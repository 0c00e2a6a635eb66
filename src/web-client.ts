import { existsSync } from 'node:fs';
import { join, normalize, sep } from 'node:path';
import type { ServeStaticModuleOptions } from '@nestjs/serve-static';
import { BadRequestException, NotFoundException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { AppConfig } from './config/app-config';

/** The built web client's folder, when there is one: dist/main.js and src/ both sit beside client/. */
export function clientRoot(config: AppConfig): string | undefined {
  const root = config.clientDir ?? join(__dirname, '..', 'client', 'dist');
  return existsSync(join(root, 'index.html')) ? root : undefined;
}

/**
 * Every path but the API's and the build's assets is the app (/admin on reload too). Hashed assets
 * never change; index.html must always be asked for again.
 */
export function serveClient(config: AppConfig): ServeStaticModuleOptions[] {
  const rootPath = clientRoot(config);
  if (!rootPath) return [];
  return [
    {
      rootPath,
      // /metrics: a route of the main port, or (METRICS_PORT) of none there — never the app's page.
      exclude: ['/api/{*path}', '/v1/{*path}', '/assets/{*path}', '/metrics'],
      serveStaticOptions: {
        setHeaders: (res: Response, path: string) =>
          res.setHeader('Cache-Control', path.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache'),
      },
    },
  ];
}

/**
 * A missing asset is a JSON 404, not index.html: a tab left open across a deploy fails loudly.
 * Errors go on to the error middleware of setup-app, which answers with the one error body.
 */
export function missingAssets(config: AppConfig) {
  const root = clientRoot(config);
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (!root || (req.method !== 'GET' && req.method !== 'HEAD')) return next();
    let file: string;
    try {
      file = normalize(join(root, 'assets', decodeURIComponent(req.path)));
    } catch {
      return next(new BadRequestException('The asset path is not valid.'));
    }
    if (file.startsWith(join(root, 'assets') + sep) && existsSync(file)) return next();
    next(new NotFoundException(`No asset ${req.originalUrl}.`));
  };
}

/** `//api/…` is no API route, yet the app's catch-all would answer it with index.html: a JSON 404 instead. */
export function strayApiPaths(req: Request, _res: Response, next: NextFunction): void {
  if (/^\/{2,}api(\/|$)/.test(req.path)) return next(new NotFoundException(`Cannot ${req.method} ${req.path}`));
  next();
}
