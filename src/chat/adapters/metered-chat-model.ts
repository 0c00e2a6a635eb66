import { DomainError } from '../../common/domain-error';
import { ModelMeters, Metrics, secondsSince } from '../../metrics/domain/metrics';
import { ChatModel, ModelRequest, PromptMessage, TokenUsage } from '../domain/chat-model';

/** Characters a token stands for when the model reports no usage: OpenAI's rule of thumb for English. */
const CHARS_PER_TOKEN = 4;

/**
 * Any ChatModel, measured: call latency, time to the first streamed piece, errors by code, and
 * tokens in and out (as the model reports them, else estimated from the characters).
 */
export class MeteredChatModel extends ChatModel {
  readonly name: string;

  constructor(
    private readonly inner: ChatModel,
    private readonly provider: string,
    private readonly metrics: Metrics,
  ) {
    super();
    this.name = inner.name;
  }

  async complete(request: ModelRequest): Promise<string> {
    const meters = this.meters(request);
    const started = performance.now();
    const usage = new HeardUsage(request);
    try {
      const text = await this.inner.complete(usage.request);
      countTokens(meters, request.messages, text, usage.reported);
      return text;
    } catch (error) {
      meters.failed(codeOf(error)).inc();
      throw error;
    } finally {
      meters.latency.observe(secondsSince(started));
    }
  }

  async *stream(request: ModelRequest): AsyncIterable<string> {
    const meters = this.meters(request);
    const started = performance.now();
    const usage = new HeardUsage(request);
    let chars = 0;
    let received = false;
    let completed = false;
    try {
      for await (const piece of this.inner.stream(usage.request)) {
        if (!received) meters.firstToken.observe(secondsSince(started));
        received = true;
        chars += piece.length;
        yield piece;
      }
      completed = true;
    } catch (error) {
      meters.failed(codeOf(error)).inc();
      throw error;
    } finally {
      meters.latency.observe(secondsSince(started));
      // A stream its consumer stopped (reply too long, client gone) still cost what it sent.
      if (completed || received) countTokens(meters, request.messages, chars, usage.reported);
    }
  }

  private meters(request: ModelRequest): ModelMeters {
    return this.metrics.model(this.provider, request.model ?? this.name);
  }
}

/** The usage a call reports, kept for the meters and still handed to the caller's own `onUsage`. */
class HeardUsage {
  reported?: TokenUsage;
  readonly request: ModelRequest;

  constructor(request: ModelRequest) {
    this.request = {
      ...request,
      onUsage: (usage) => {
        this.reported = usage;
        request.onUsage?.(usage);
      },
    };
  }
}

function countTokens(meters: ModelMeters, messages: readonly PromptMessage[], reply: string | number, usage: TokenUsage | undefined): void {
  if (usage) {
    meters.tokensIn.inc(usage.input);
    meters.tokensOut.inc(usage.output);
    return;
  }
  let chars = 0;
  for (const message of messages) chars += message.content.length;
  meters.tokensIn.inc(Math.ceil(chars / CHARS_PER_TOKEN));
  meters.tokensOut.inc(Math.ceil((typeof reply === 'string' ? reply.length : reply) / CHARS_PER_TOKEN));
}

function codeOf(error: unknown): string {
  return error instanceof DomainError ? error.code : 'unknown';
}
