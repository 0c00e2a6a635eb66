/** Reconnection delays: quick at first, then every 2 s for as long as Redis stays away. */
export const reconnectDelay = (retries: number) => Math.min(100 * 2 ** retries, 2000);

/** The part of the node-redis client the watch drives. */
export interface WatchedConnection {
  readonly isOpen: boolean;
  readonly isReady: boolean;
  connect(): Promise<unknown>;
  destroy(): void;
  ping(): Promise<unknown>;
  on(event: 'error', listener: (error: unknown) => void): unknown;
}

/**
 * node-redis has no deadline on a command once written: a blackholed socket swallows every later
 * command until TCP gives up. Both Redis clients of the service (memory windows, coordination) are
 * watched by this: it pings once a second (or once per timeout, when longer) and makes anew a
 * connection that does not answer, or is not ready in time.
 */
export class ConnectionWatch {
  private notReadySince: number | undefined;
  private checking = false;

  constructor(
    private readonly client: WatchedConnection,
    private readonly timeoutMs: number,
  ) {
    client.on('error', () => undefined);
  }

  async start(): Promise<void> {
    const timer = setInterval(() => {
      if (!this.client.isOpen) clearInterval(timer);
      else void this.check();
    }, Math.max(this.timeoutMs, 1000));
    timer.unref();
    await this.within(this.renew());
  }

  private async check(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      if (this.client.isReady) {
        this.notReadySince = undefined;
        if (!(await this.within(this.client.ping()))) void this.renew();
      } else {
        this.notReadySince ??= Date.now();
        if (Date.now() - this.notReadySince > 2 * this.timeoutMs) void this.renew();
      }
    } finally {
      this.checking = false;
    }
  }

  private renew(): Promise<unknown> {
    this.notReadySince = undefined;
    if (this.client.isOpen) this.client.destroy();
    return this.client.connect().catch(() => undefined);
  }

  /** True when `promise` settles without error within the timeout. */
  private async within(promise: Promise<unknown>): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), this.timeoutMs)));
    const settled = promise.then(
      () => true,
      () => false,
    );
    try {
      return await Promise.race([settled, expired]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** `promise`, or a rejection once `timeoutMs` passed: for commands already written to a socket that may be dead. */
export async function withDeadline<T>(promise: Promise<T>, timeoutMs: number, what = 'Redis command'): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} got no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}
