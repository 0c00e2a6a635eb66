import { UnsupportedMediaTypeException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { FieldError, RequestValidationError } from './error-body';

/** The media types read as JSON: the 415 check and the body parser share this list. */
export const JSON_TYPES = ['application/json', 'application/*+json'];

const MAX_JSON_DEPTH = 16;
/** A high surrogate with no low one after it, or a low one with no high one before it (code units, no `u` flag). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** A body that is not JSON is refused with 415 before anything reads it. */
export function requireJsonBody(req: Request, _res: Response, next: NextFunction): void {
  const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  if (hasBody && !req.is(JSON_TYPES)) {
    return next(new UnsupportedMediaTypeException('The request body must be JSON (Content-Type: application/json).'));
  }
  next();
}

/**
 * Refuses, before any route reads them, bodies that nest deeply or name prototype keys, and text
 * (in the body or the query, keys included) that no store keeps as sent: NUL characters, which
 * PostgreSQL refuses and SQLite cuts at, and lone surrogates, which are not UTF-8 at all.
 */
export function rejectUnsafeInput(req: Request, _res: Response, next: NextFunction): void {
  const problem = unsafeJson(req.body) ?? badText(req.body, '') ?? badText(req.query, '');
  next(problem ? new RequestValidationError([problem]) : undefined);
}

function unsafeJson(body: unknown): FieldError | undefined {
  const stack: [unknown, number][] = [[body, 0]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_JSON_DEPTH) return { field: 'body', messages: [`The request body nests deeper than ${MAX_JSON_DEPTH} levels.`] };
    for (const key of Object.keys(value)) {
      if (UNSAFE_KEYS.has(key)) return { field: key, messages: [`The request body may not contain the key "${key}".`] };
      stack.push([(value as Record<string, unknown>)[key], depth + 1]);
    }
  }
  return undefined;
}

/** The first string (or key) that holds a NUL or a lone surrogate, named by its path. */
function badText(value: unknown, path: string): FieldError | undefined {
  if (typeof value === 'string') return textProblem(value, path || 'body');
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, inner] of Object.entries(value)) {
    const field = path ? `${path}.${key}` : key;
    const problem = textProblem(key, JSON.stringify(field)) ?? badText(inner, field);
    if (problem) return problem;
  }
  return undefined;
}

function textProblem(text: string, field: string): FieldError | undefined {
  if (text.includes('\0')) return { field, messages: [`${field} must not contain NUL characters (U+0000).`] };
  if (LONE_SURROGATE.test(text)) return { field, messages: [`${field} must be well-formed Unicode: it holds a lone surrogate.`] };
  return undefined;
}
