import KeyvRedis from '@keyv/redis';

/** Reconnection delays: quick at first, then every 2 s for as long as Redis stays away. */
const reconnectDelay = (retries: number) => Math.min(100 * 2 ** retries, 2000);

/** The part of the node-redis client this file drives. */
interface Connection {
  readonly isOpen: boolean;
  connect(): Promise<unknown>;
  destroy(): void;
  on(event: 'error', listener: (error: unknown) => void): unknown;
}

/**
 * A Keyv store on Redis that fails fast instead of hanging: commands are refused while disconnected
 * (no offline queue), each has a deadline, and a command that times out drops the connection — a
 * blackholed socket would otherwise swallow every later command — so it is made anew.
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
  const client = store.client as unknown as Connection;
  client.on('error', () => undefined);
  store.on('error', (error: unknown) => {
    if (error instanceof Error && error.name === 'TimeoutError' && client.isOpen) void reconnect(client);
  });
  // Commands are refused until connected: wait for the first connection, but no longer than a command would.
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([reconnect(client), new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
  clearTimeout(timer);
  return store;
}

function reconnect(client: Connection): Promise<unknown> {
  if (client.isOpen) client.destroy();
  return client.connect().catch(() => undefined);
}
