import type { NextFunction, Request, Response } from 'express';
import { secondsSince } from '../domain/metrics';
import { PromMetrics } from './prom-metrics';

/** The route of requests no route answered (refused by a middleware, unknown paths). */
const UNMATCHED = 'unmatched';
const STARTED = Symbol('request started');

type Timed = Response & { [STARTED]: number };

/**
 * Counts and times every request by method, route template (`/api/sessions/:id`, never the raw
 * URL) and status. One listener per request, a function shared by all of them.
 */
export function requestMetrics(metrics: PromMetrics) {
  function closed(this: Timed): void {
    const req = this.req as Request;
    const route = (req.route as { path?: string } | undefined)?.path ?? UNMATCHED;
    metrics.httpRequest(req.method, route, this.statusCode).observe(secondsSince(this[STARTED]));
  }
  return (_req: Request, res: Response, next: NextFunction): void => {
    (res as Timed)[STARTED] = performance.now();
    res.on('close', closed);
    next();
  };
}
