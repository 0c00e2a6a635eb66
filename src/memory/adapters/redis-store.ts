import KeyvRedis from '@keyv/redis';

/** Reconnection delays: quick at first, then every 2 s for as long as Redis stays away. */
const reconnectDelay = (retries: number) => Math.min(100 * 2 ** retries, 2000);

/** The part of the node-redis client this file drives. */
interface Connection {
  readonly isOpen: boolean;
  readonly isReady: boolean;
  connect(): Promise<unknown>;
  destroy(): void;
  ping(): Promise<unknown>;
  on(event: 'error', listener: (error: unknown) => void): unknown;
}

/**
 * A Keyv store on Redis that fails fast instead of hanging: commands are refused while disconnected
 * (no offline queue) and wait at most `timeoutMs` to be written. node-redis has no deadline on a
 * command once written, so a watch pings the server and makes the connection anew when it does not
 * answer — a blackholed socket would otherwise swallow every later command until TCP gives up.
 * Errors are thrown to the caller (the memory adapter decides), never left as unhandled events.
 */
export async function redisStore(url: string, timeoutMs: number): Promise<KeyvRedis<unknown>> {
  const store = new KeyvRedis(
    {
      url,
      disableOfflineQueue: true,
      commandOptions: { timeout: timeoutMs },
      socket: { connectTimeout: timeoutMs, reconnectStrategy: reconnectDelay },
    },
    { throwOnErrors: true, throwOnConnectError: true, connectionTimeout: timeoutMs },
  );
  const watch = new ConnectionWatch(store.client as unknown as Connection, timeoutMs);
  // Commands are refused until connected: wait for the first connection, but no longer than a command would.
  await watch.start();
  return store;
}

/** Pings once a second (or once per timeout, when longer); a connection that does not answer, or is not ready in time, is made anew. */
class ConnectionWatch {
  private notReadySince: number | undefined;
  private checking = false;

  constructor(
    private readonly client: Connection,
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
