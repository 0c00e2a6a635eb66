import createClient from 'openapi-fetch';
import { authHeaders, noticeUnauthorized } from './auth';
import type { paths } from './schema';
import type { ApiErrorBody } from './types';

/** Calls go through `globalThis.fetch` at call time, so tests can stub it. */
export const api = createClient<paths>({
  baseUrl: globalThis.location?.origin ?? '',
  fetch: (request) => globalThis.fetch(request),
});

api.use({
  onRequest({ request }) {
    for (const [name, value] of Object.entries(authHeaders())) request.headers.set(name, value);
    return request;
  },
  onResponse({ request, response }) {
    noticeUnauthorized(request.url, response.status);
    return response;
  },
});

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'ApiError';
  }
}

const NETWORK_ERROR = 'Could not reach the server. Check your connection and try again.';

export function networkError(): ApiError {
  return new ApiError(0, 'network_error', NETWORK_ERROR);
}

/** Builds an ApiError from an error body of the contract (`{status, code, detail}`) or whatever came instead. */
export function toApiError(body: unknown, response: Response): ApiError {
  const partial = (typeof body === 'object' && body !== null ? body : {}) as Partial<ApiErrorBody>;
  const detail = typeof partial.detail === 'string' ? partial.detail : `${response.status} ${response.statusText}`.trim();
  return new ApiError(response.status, typeof partial.code === 'string' ? partial.code : 'http_error', detail);
}

type Result<T> = { data?: T; error?: unknown; response: Response };

/** Awaits an openapi-fetch call and returns its data, or throws an ApiError. */
export async function call<T>(request: Promise<Result<T>>): Promise<{ data: T; response: Response }> {
  let result: Result<T>;
  try {
    result = await request;
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw networkError();
  }
  if (!result.response.ok) throw toApiError(result.error, result.response);
  return { data: result.data as T, response: result.response };
}

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.detail;
  return error instanceof Error ? error.message : String(error);
}
