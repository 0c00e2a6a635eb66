import { Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { createClient, RedisClientType } from '@redis/client';
import { ConnectionWatch, withDeadline } from '../../common/redis-connection-watch';
import { CoordinationHealth } from '../domain/coordination-health';

/** What `createClient` with no modules, scripts or type mapping returns (RESP2). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export type RedisClient = RedisClientType<{}, {}, {}, 2, {}>;

/** Default command timeout: every command answers, or fails, within it (REDIS_TIMEOUT_MS in the app). */
export const DEFAULT_TIMEOUT_MS = 1000;
/** Errors of a burst are logged once; the next one after this quiet time is logged again. */
const ERROR_LOG_QUIET_MS = 30_000;

/**
 * The Redis client the instances coordinate through (node-redis, the client @keyv/redis already
 * uses). No offline queue: while Redis is away, commands fail at once instead of piling up.
 * Callers bound each answer with `withDeadline`; the connection watch replaces a stuck socket.
 */
export function createRedisClient(url: string, timeoutMs = DEFAULT_TIMEOUT_MS, logger = new Logger('Redis')): RedisClient {
  const client = createClient({
    url,
    disableOfflineQueue: true,
    // No per-command timeout (see memory/adapters/redis-store.ts): callers bound every answer.
    socket: {
      connectTimeout: timeoutMs,
      reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 2000) + Math.floor(Math.random() * 50),
    },
  });
  let lastLogged = 0;
  client.on('error', (error: Error) => {
    if (Date.now() - lastLogged < ERROR_LOG_QUIET_MS) return;
    lastLogged = Date.now();
    logger.warn(`Redis for coordination: ${error.message} (further errors quiet for ${ERROR_LOG_QUIET_MS / 1000} s)`);
  });
  client.on('ready', () => (lastLogged = 0));
  return client;
}

/**
 * The shared client when REDIS_URL is set (`client` undefined otherwise): opened at boot, closed at
 * shutdown without waiting on the socket. Watched like the memory store's client, so a blackholed
 * connection is replaced rather than swallowing every later command.
 */
export class RedisConnection extends CoordinationHealth implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Coordination');
  readonly client: RedisClient | undefined;

  constructor(
    url: string | undefined,
    readonly timeoutMs = DEFAULT_TIMEOUT_MS,
  ) {
    super();
    this.client = url ? createRedisClient(url, timeoutMs) : undefined;
  }

  /** Waits for the first connection no longer than a command would; a Redis that is down does not stop the boot. */
  async onModuleInit(): Promise<void> {
    if (!this.client) return;
    await new ConnectionWatch(this.client, this.timeoutMs).start();
    if (!this.client.isReady) this.logger.warn('Redis is not reachable yet: session locks hold in this instance only and job runs are skipped until it is');
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.client?.isOpen) this.client.destroy();
  }

  async probe(): Promise<{ store: string }> {
    if (!this.client) return { store: 'in-process' };
    const pong = await withDeadline(this.client.ping(), this.timeoutMs, 'Redis PING');
    if (pong !== 'PONG') throw new Error(`Redis answered ${pong} to PING`);
    return { store: 'redis' };
  }
}
