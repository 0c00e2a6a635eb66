import { authHeaders, noticeUnauthorized } from './auth';
import { ApiError, networkError, toApiError } from './client';
import type { ApiErrorBody, GenerateReply, GenerateRequest } from './types';

/** The events of `POST /api/generate/stream` (not described by OpenAPI, so typed here). */
export type StreamEvent =
  | { event: 'token'; data: { text: string } }
  | { event: 'done'; data: GenerateReply }
  | { event: 'error'; data: ApiErrorBody };

interface RawEvent {
  event: string;
  data: string;
}

/** Splits a text/event-stream into events; feed it chunks as they arrive, in any sizes. */
export class SseParser {
  private buffer = '';

  push(chunk: string): RawEvent[] {
    this.buffer += chunk;
    const blocks = this.buffer.split(/\r\n\r\n|\n\n|\r\r/);
    this.buffer = blocks.pop() ?? '';
    return blocks.map(parseBlock).filter((e): e is RawEvent => e !== undefined);
  }

  flush(): RawEvent[] {
    const rest = this.buffer;
    this.buffer = '';
    const event = parseBlock(rest);
    return event ? [event] : [];
  }
}

function parseBlock(block: string): RawEvent | undefined {
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split(/\r\n|\n|\r/)) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  return data.length > 0 ? { event, data: data.join('\n') } : undefined;
}

function toStreamEvent(raw: RawEvent): StreamEvent | undefined {
  if (raw.event !== 'token' && raw.event !== 'done' && raw.event !== 'error') return undefined;
  return { event: raw.event, data: JSON.parse(raw.data) } as StreamEvent;
}

/**
 * Posts a prompt to the streaming route and yields its events as they arrive.
 * Throws an ApiError when the server refuses the request before streaming; aborting `signal` ends the stream.
 */
export async function* streamGenerate(body: GenerateRequest, signal: AbortSignal): AsyncGenerator<StreamEvent> {
  let response: Response;
  try {
    response = await globalThis.fetch('/api/generate/stream', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream', ...authHeaders() },
      body: JSON.stringify(body),
      signal,
    });
  } catch (error) {
    if (signal.aborted) throw error;
    throw networkError();
  }
  if (!response.ok || !response.body) {
    noticeUnauthorized('/api/generate/stream', response.status);
    throw toApiError(await response.json().catch(() => undefined), response);
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const parser = new SseParser();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      const raws = done ? parser.flush() : parser.push(value);
      for (const raw of raws) {
        const event = toStreamEvent(raw);
        if (event) yield event;
      }
      if (done) return;
    }
  } catch (error) {
    if (signal.aborted || error instanceof ApiError) throw error;
    throw networkError();
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}
