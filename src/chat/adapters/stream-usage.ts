import { StreamUsageMode } from '../../config/app-config';

export interface WarningLog {
  warn(message: string): void;
}

/**
 * Whether streamed calls ask the server for their token usage (`stream_options.include_usage`).
 * Not every OpenAI-compatible server takes `stream_options`: under `auto`, the first refusal turns
 * it off for the life of the process, so only one call per process pays a retry for it.
 */
export class StreamUsage {
  private refused = false;

  constructor(
    private readonly mode: StreamUsageMode,
    private readonly log: WarningLog,
  ) {}

  /** Whether the next streamed call asks for usage. */
  get asked(): boolean {
    return this.mode === 'on' || (this.mode === 'auto' && !this.refused);
  }

  /**
   * Whether a streamed call that asked for usage and failed with `error` should be made again
   * without asking: under `auto`, when the server refused `stream_options`. Remembered from then on.
   */
  retryWithout(error: unknown): boolean {
    if (this.mode !== 'auto' || !refusesStreamOptions(error)) return false;
    if (!this.refused) {
      this.refused = true;
      this.log.warn('The model server refused stream_options: streamed replies no longer ask for token usage, their tokens are estimated (set OPENAI_STREAM_USAGE=off to skip the first attempt).');
    }
    return true;
  }
}

/** A 400 or 422 whose message names the parameter: what OpenAI-compatible servers answer to a field they do not take. */
function refusesStreamOptions(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { status, message } = error as { status?: unknown; message?: unknown };
  return (status === 400 || status === 422) && typeof message === 'string' && message.includes('stream_options');
}
