import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { waitFor } from './wait-for';

/** Token counts as OpenAI reports them. */
export interface Usage {
  readonly prompt_tokens: number;
  readonly completion_tokens: number;
}

/** What a plain reply reports unless its behaviour says otherwise. */
export const DEFAULT_USAGE: Usage = { prompt_tokens: 10, completion_tokens: 5 };

/** What the server does with the next chat-completion request. */
export type Behaviour =
  /** `usage`: what the reply reports (DEFAULT_USAGE when absent; null: none, as some servers do). */
  | { kind: 'reply'; text: string; delayMs?: number; usage?: Usage | null }
  /** `usage`: sent after the last piece, in a chunk of its own, when the request asked for it (`stream_options.include_usage`). */
  | { kind: 'stream'; chunks: string[]; delayMs?: number; failAfter?: number; stallAfter?: number; usage?: Usage }
  | { kind: 'status'; status: number; body?: unknown }
  | { kind: 'hang' }
  /** Sends 200 and the headers of a JSON (or, with `stream`, an SSE) reply, then nothing. */
  | { kind: 'stall'; stream?: boolean }
  /** Streams `text` chunks forever (waiting for drain) until the client closes the connection. */
  | { kind: 'endless'; text: string }
  | { kind: 'malformed' };

export interface RecordedRequest {
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: {
    model: string;
    stream?: boolean;
    temperature?: number;
    stream_options?: { include_usage?: boolean };
    messages: { role: string; content: string }[];
  };
  /** Set when the client closed the connection before the server had finished answering. */
  aborted: boolean;
}

/**
 * A small OpenAI-compatible server on 127.0.0.1: `/v1/chat/completions`, plain and streamed, with
 * scripted failures. The real `@langchain/openai` client talks to it over real HTTP.
 */
export class FakeOpenAiServer {
  readonly requests: RecordedRequest[] = [];
  private readonly script: Behaviour[] = [];
  private fallback: Behaviour = { kind: 'reply', text: 'Hello from the fake model.' };
  private refusedStatus?: number;
  private server?: Server;
  private readonly timers = new Set<NodeJS.Timeout>();

  /** Queues behaviours for the next requests, in order; after them, the fallback. */
  next(...behaviours: Behaviour[]): this {
    this.script.push(...behaviours);
    return this;
  }

  always(behaviour: Behaviour): this {
    this.fallback = behaviour;
    return this;
  }

  reset(): void {
    this.script.length = 0;
    this.requests.length = 0;
    this.fallback = { kind: 'reply', text: 'Hello from the fake model.' };
    this.refusedStatus = undefined;
  }

  /**
   * Until reset, refuses every request that sends `stream_options` with `status`, as servers that do
   * not know the field do; a refused request takes no behaviour from the script.
   */
  refuseStreamOptions(status: 400 | 422 = 400): this {
    this.refusedStatus = status;
    return this;
  }

  get baseUrl(): string {
    const { port } = this.server!.address() as AddressInfo;
    return `http://127.0.0.1:${port}/v1`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /** Resolves once the latest request has been aborted by the client (or rejects after `ms`). */
  async waitForAbort(ms = 3000): Promise<RecordedRequest> {
    await waitFor(() => this.requests.at(-1)?.aborted === true, 'the client to abort its request', ms);
    return this.requests.at(-1)!;
  }

  /** Resolves once `count` requests have arrived (or rejects after `ms`). */
  async waitForRequests(count: number, ms = 3000): Promise<void> {
    await waitFor(() => this.requests.length >= count, `${count} requests`, ms);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
      json(res, 404, { error: { message: `No route ${req.method} ${req.url}`, type: 'invalid_request_error' } });
      return;
    }
    const recorded: RecordedRequest = { path: req.url, headers: req.headers, body: JSON.parse(raw), aborted: false };
    this.requests.push(recorded);
    res.on('close', () => {
      if (!res.writableFinished) recorded.aborted = true;
    });
    if (this.refusedStatus !== undefined && recorded.body.stream_options !== undefined) {
      json(res, this.refusedStatus, { error: { message: 'Unrecognized request argument supplied: stream_options', type: 'invalid_request_error', param: 'stream_options', code: null } });
      return;
    }
    const behaviour = this.script.shift() ?? this.fallback;
    const model = recorded.body.model;
    switch (behaviour.kind) {
      case 'reply':
        await this.sleep(behaviour.delayMs);
        if (!res.destroyed) json(res, 200, completion(model, behaviour.text, behaviour.usage === undefined ? DEFAULT_USAGE : behaviour.usage));
        return;
      case 'stream':
        await this.stream(res, model, behaviour, recorded.body.stream_options?.include_usage === true);
        return;
      case 'status':
        json(res, behaviour.status, behaviour.body ?? { error: { message: `Scripted failure ${behaviour.status}`, type: 'server_error' } });
        return;
      case 'malformed':
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"choices": [ this is not json');
        return;
      case 'hang':
        return;
      case 'stall':
        res.writeHead(200, { 'Content-Type': behaviour.stream ? 'text/event-stream' : 'application/json' });
        res.flushHeaders();
        return;
      case 'endless':
        await this.endless(res, model, behaviour.text);
        return;
    }
  }

  private async endless(res: ServerResponse, model: string, text: string): Promise<void> {
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
    const line = `data: ${JSON.stringify(chunk(model, { content: text }, null))}\n\n`;
    while (!res.destroyed) {
      if (!res.write(line)) await drainedOrClosed(res);
    }
  }

  private async stream(res: ServerResponse, model: string, { chunks, delayMs, failAfter, stallAfter, usage }: Extract<Behaviour, { kind: 'stream' }>, usageAsked: boolean) {
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
    const send = (data: unknown) => res.write(`data: ${JSON.stringify(data)}\n\n`);
    for (const [i, text] of chunks.entries()) {
      if (failAfter !== undefined && i === failAfter) {
        // Let what was sent reach the client, then break the connection as a crashed server would.
        await this.sleep(50);
        res.destroy();
        return;
      }
      if (stallAfter !== undefined && i === stallAfter) return;
      send(chunk(model, i === 0 ? { role: 'assistant', content: text } : { content: text }, null));
      await this.sleep(delayMs);
      if (res.destroyed) return;
    }
    send(chunk(model, {}, 'stop'));
    if (usage && usageAsked) send({ ...chunk(model, {}, null), choices: [], usage: withTotal(usage) });
    res.end('data: [DONE]\n\n');
  }

  private sleep(ms?: number): Promise<void> {
    if (!ms) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }
}

function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done).off('close', done);
      resolve();
    };
    res.on('drain', done).on('close', done);
  });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}

function withTotal(usage: Usage) {
  return { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens };
}

function completion(model: string, content: string, usage: Usage | null) {
  return {
    id: 'chatcmpl-test',
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop', logprobs: null }],
    ...(usage ? { usage: withTotal(usage) } : {}),
  };
}

function chunk(model: string, delta: Record<string, string>, finish: string | null) {
  return {
    id: 'chatcmpl-test',
    object: 'chat.completion.chunk',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
  };
}
