import { Injectable, NotFoundException, OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Express, NextFunction, Request, Response } from 'express';
import { errorBody } from './error-body';
import { errorPayload } from './openai-error';

/**
 * Nest answers unknown paths under its /api prefix only; anything else (`//api//x`, `/assets/…`
 * without a built client, a POST to the client's pages) fell through to Express's HTML 404.
 * Added once every route is registered, these answer what nothing else did with the one error body.
 */
@Injectable()
export class JsonNotFound implements OnApplicationBootstrap {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onApplicationBootstrap(): void {
    const express = this.adapterHost.httpAdapter.getInstance<Express>();
    express.use((req: Request, res: Response) => sendError(res, new NotFoundException(`Cannot ${req.method} ${req.path}`)));
    express.use((error: unknown, _req: Request, res: Response, next: NextFunction) => (res.headersSent ? next(error) : sendError(res, error)));
  }
}

/** Answers an error caught outside Nest's routes with the one error body. */
export function sendError(res: Response, error: unknown): void {
  const body = errorBody(error);
  res.status(body.status).json(errorPayload(res.req.path, body));
}
