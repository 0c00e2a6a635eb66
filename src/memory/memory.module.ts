import { Module, OnApplicationShutdown } from '@nestjs/common';
import KeyvRedis from '@keyv/redis';
import { CacheableMemory } from 'cacheable';
import { Keyv } from 'keyv';
import { AppConfig } from '../config/app-config';
import { CacheConversationMemory } from './adapters/cache-conversation-memory';
import { redisStore } from './adapters/redis-store';
import { deserializeWindow, serializeWindow } from './adapters/window-codec';
import { ConversationMemory } from './domain/conversation-memory';
import { TiktokenCounter } from './adapters/tiktoken-counter';
import { TokenCounter } from './domain/token-counter';
import { Metrics } from '../metrics/domain/metrics';

/** In-process by default; in Redis (shared by instances) when REDIS_URL is set. Errors are thrown, not swallowed. */
export async function cacheStore(config: AppConfig): Promise<Keyv> {
  if (config.redisUrl) {
    const store = await redisStore(config.redisUrl, config.redisTimeoutMs);
    const keyv = new Keyv({ store, namespace: config.redisPrefix, throwOnErrors: true, serialize: serializeWindow, deserialize: deserializeWindow });
    keyv.on('error', () => undefined);
    return keyv;
  }
  // In-process values are plain JSON that nobody mutates: hold them as they are, unserialized, uncloned.
  // No lruSize: the memory adapter bounds the windows by count and bytes and deletes what goes over.
  return new Keyv({
    store: new CacheableMemory({ ttl: config.sessionTimeoutSeconds * 1000, useClone: false }),
    serialize: undefined,
    deserialize: undefined,
    throwOnErrors: true,
  });
}

/** Closes the store at shutdown without waiting on a Redis that may not answer. */
export async function closeStore(keyv: Keyv): Promise<void> {
  const store: unknown = keyv.store;
  if (store instanceof KeyvRedis) await store.disconnect(true);
  else await keyv.disconnect();
}

@Module({
  providers: [
    { provide: Keyv, inject: [AppConfig], useFactory: cacheStore },
    { provide: ConversationMemory, useClass: CacheConversationMemory },
    { provide: TokenCounter, useClass: TiktokenCounter },
  ],
  exports: [ConversationMemory, TokenCounter],
})
export class MemoryModule implements OnApplicationShutdown {
  constructor(
    private readonly keyv: Keyv,
    memory: ConversationMemory,
    metrics: Metrics,
  ) {
    // Two numbers the adapter keeps up to date anyway: read at each scrape, nothing kept on the turn path.
    if (memory instanceof CacheConversationMemory) metrics.watchHeldWindows(() => memory.held);
  }

  async onApplicationShutdown(): Promise<void> {
    await closeStore(this.keyv);
  }
}
