import { Module } from '@nestjs/common';
import { CacheModule } from '@nestjs/cache-manager';
import KeyvRedis from '@keyv/redis';
import { CacheableMemory } from 'cacheable';
import { Keyv } from 'keyv';
import { AppConfig } from '../config/app-config';
import { CacheConversationMemory } from './adapters/cache-conversation-memory';
import { ConversationMemory } from './domain/conversation-memory';

/** In-process by default; in Redis (shared by instances) when REDIS_URL is set. */
export function cacheStore(config: AppConfig): Keyv {
  if (config.redisUrl) return new Keyv({ store: new KeyvRedis(config.redisUrl), namespace: 'chat-sessions' });
  // In-process values are plain JSON that nobody mutates: hold them as they are, unserialized, uncloned.
  return new Keyv({
    store: new CacheableMemory({ ttl: config.sessionTimeoutSeconds * 1000, useClone: false }),
    serialize: undefined,
    deserialize: undefined,
  });
}

@Module({
  imports: [
    CacheModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({ stores: [cacheStore(config)] }),
    }),
  ],
  providers: [{ provide: ConversationMemory, useClass: CacheConversationMemory }],
  exports: [ConversationMemory],
})
export class MemoryModule {}
