import { onTestFinished, vi } from 'vitest';

type Handler = (request: { body: unknown; url: URL; headers: Headers; signal?: AbortSignal | null }) => Response | Promise<Response>;

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
}

export function apiError(status: number, code: string, detail: string): Response {
  return json({ status, code, detail }, status);
}

/** A text/event-stream response whose events are sent one by one; `hold` keeps it open after the last one. */
export function sse(events: Array<[string, unknown]>, { hold = false, signal }: { hold?: boolean; signal?: AbortSignal | null } = {}) {
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      for (const [event, data] of events) {
        controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
        await new Promise((r) => setTimeout(r, 5));
      }
      if (!hold) return controller.close();
      signal?.addEventListener('abort', () => controller.error(new DOMException('Aborted', 'AbortError')));
    },
  });
  return new Response(stream, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
}

export interface ApiCall {
  key: string;
  url: URL;
  body: unknown;
  headers: Headers;
}

/**
 * Calls every chat page makes in the background, answered unless a test gives its own handler: the
 * context meter's (a 404 hides the meter, so tests that are not about it do not see it).
 */
const BACKGROUND: Record<string, Handler> = {
  'GET /api/sessions/{id}/context': () => apiError(404, 'session_not_found', 'Session not found'),
};

/**
 * Stubs `fetch` with handlers keyed by "METHOD /path" (trailing slash ignored, `{param}` matches a segment);
 * an unhandled call fails the test (the app would only see a network error). Returns the calls made, in order.
 */
export function fakeApi(given: Record<string, Handler>): ApiCall[] {
  const handlers = { ...BACKGROUND, ...given };
  const calls: ApiCall[] = [];
  const unexpected: string[] = [];
  onTestFinished(() => {
    if (unexpected.length > 0) throw new Error(`Unexpected API calls: ${unexpected.join(', ')}`);
  });
  const mock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(new URL(String(input), 'http://localhost'), init);
    const url = new URL(request.url);
    const key = `${request.method} ${url.pathname.replace(/\/$/, '')}`;
    const handler = handlers[key] ?? Object.entries(handlers).find(([k]) => matches(k, key))?.[1];
    if (!handler) {
      unexpected.push(key);
      throw new TypeError('Failed to fetch');
    }
    const text = await request.text();
    const body: unknown = text ? JSON.parse(text) : undefined;
    calls.push({ key, url, body, headers: request.headers });
    return handler({ body, url, headers: request.headers, signal: init?.signal ?? request.signal });
  });
  vi.stubGlobal('fetch', mock);
  return calls;
}

function matches(pattern: string, key: string): boolean {
  if (!pattern.includes('{')) return false;
  return new RegExp(`^${pattern.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(key);
}

export const callsTo = (calls: ApiCall[], key: string) => calls.filter((c) => c.key === key);
