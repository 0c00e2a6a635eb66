import { ErrorBody } from './error-body';

/** The paths that speak OpenAI's API (issue 15): their errors take OpenAI's shape, /api keeps its own. */
export function speaksOpenAi(path: string): boolean {
  return /^\/v1(\/|$)/.test(path);
}

export interface OpenAiErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

/** `{error: {message, type, param, code}}`, as the official SDKs read it into their typed errors. */
export function openAiErrorBody(body: ErrorBody): OpenAiErrorBody {
  return { error: { message: body.detail, type: errorType(body.status), param: body.errors?.[0]?.field ?? null, code: openAiCode(body) } };
}

/** The body for a failed request on `path`: OpenAI's shape under /v1, ours everywhere else. */
export function errorPayload(path: string, body: ErrorBody): ErrorBody | OpenAiErrorBody {
  return speaksOpenAi(path) ? openAiErrorBody(body) : body;
}

function errorType(status: number): string {
  if (status === 401) return 'invalid_request_error';
  if (status === 429) return 'requests';
  return status >= 500 ? 'server_error' : 'invalid_request_error';
}

/** OpenAI's own codes where clients test for them; ours otherwise. */
function openAiCode({ status, code }: ErrorBody): string {
  if (status === 401) return 'invalid_api_key';
  if (status === 429) return 'rate_limit_exceeded';
  return code;
}
