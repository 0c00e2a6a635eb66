/** What one item of a batch came to: its value, or the error that item alone failed with. */
export type Settled<O> = { readonly value: O } | { readonly error: unknown };

export interface BatcherOptions<I> {
  /** Batches running at once; more items wait and go together in the next batch. */
  readonly maxInFlight: number;
  readonly maxBatch: number;
  /** Items with the same key never share a batch (a later one waits for the next). */
  readonly key: (item: I) => string;
  /**
   * A batch failing whole with such an error (the store is down) fails the waiting items with it
   * too: each would wait for a batch of its own to fail the same way, one timeout after another.
   */
  readonly failsAll?: (error: unknown) => boolean;
}

interface Waiting<I, O> {
  readonly item: I;
  readonly resolve: (value: O) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Coalesces concurrent calls into batches. While fewer than `maxInFlight` batches run, an item
 * goes at once (a batch of one: no added latency when idle); under load the items that arrive
 * meanwhile go together, so a round trip and a commit serve many callers.
 */
export class Batcher<I, O> {
  private queue: Waiting<I, O>[] = [];
  private inFlight = 0;

  constructor(
    private readonly runBatch: (items: readonly I[]) => Promise<readonly Settled<O>[]>,
    private readonly options: BatcherOptions<I>,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.options.maxInFlight && this.queue.length > 0) {
      const batch = this.take();
      this.inFlight++;
      void this.execute(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private take(): Waiting<I, O>[] {
    const batch: Waiting<I, O>[] = [];
    const rest: Waiting<I, O>[] = [];
    const keys = new Set<string>();
    for (const waiting of this.queue) {
      const key = this.options.key(waiting.item);
      if (batch.length < this.options.maxBatch && !keys.has(key)) {
        keys.add(key);
        batch.push(waiting);
      } else rest.push(waiting);
    }
    this.queue = rest;
    return batch;
  }

  private async execute(batch: readonly Waiting<I, O>[]): Promise<void> {
    try {
      const results = await this.runBatch(batch.map((waiting) => waiting.item));
      batch.forEach((waiting, i) => {
        const result = results[i];
        if (result === undefined) waiting.reject(new Error('The batch returned fewer results than items.'));
        else if ('error' in result) waiting.reject(result.error);
        else waiting.resolve(result.value);
      });
    } catch (error) {
      const failed = this.options.failsAll?.(error) ? [...batch, ...this.queue.splice(0)] : batch;
      for (const waiting of failed) waiting.reject(error);
    }
  }
}
