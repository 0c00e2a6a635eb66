import KeyvRedis from '@keyv/redis';
import { ConnectionWatch, reconnectDelay, WatchedConnection } from '../../common/redis-connection-watch';

/**
 * A Keyv store on Redis that fails fast instead of hanging: commands are refused while disconnected
 * (no offline queue), and every call waits at most `timeoutMs` (the memory adapter's deadline). node-redis has no deadline on a
 * command once written, so a watch pings the server and makes the connection anew when it does not
 * answer — a blackholed socket would otherwise swallow every later command until TCP gives up.
 * Errors are thrown to the caller (the memory adapter decides), never left as unhandled events.
 */
export async function redisStore(url: string, timeoutMs: number): Promise<KeyvRedis<unknown>> {
  const store = new KeyvRedis(
    {
      url,
      disableOfflineQueue: true,
      // No per-command timeout: node-redis makes it an AbortSignal.timeout per command, whose timer
      // fires later whether or not the command was answered (a DOMException each, 3 % of a turn
      // with ~7 commands). It only bounded the wait to be written; the memory adapter bounds every
      // call (CacheOutage) and the watch below replaces a connection that stops answering.
      socket: { connectTimeout: timeoutMs, reconnectStrategy: reconnectDelay },
    },
    { throwOnErrors: true, throwOnConnectError: true, connectionTimeout: timeoutMs },
  );
  const watch = new ConnectionWatch(store.client as unknown as WatchedConnection, timeoutMs);
  // Commands are refused until connected: wait for the first connection, but no longer than a command would.
  await watch.start();
  return store;
}
