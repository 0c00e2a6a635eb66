import { Module } from '@nestjs/common';
import { ChatModule } from '../chat/chat.module';
import { MemoryModule } from '../memory/memory.module';
import { SessionStoreModule } from '../sessions/session-store.module';
import { SettingsModule } from '../settings/settings.module';
import { SqlConversationMetadataStore } from './adapters/sql-conversation-metadata-store';
import { ConversationsController } from './conversations.controller';
import { ConversationsService } from './conversations.service';
import { ConversationMetadataStore } from './domain/conversation-metadata';
import { ModelsController } from './models.controller';
import { ResponsesController } from './responses.controller';
import { ResponsesService } from './responses.service';

/** OpenAI's Conversations and Responses API under /v1, over our sessions (issue 15). */
@Module({
  imports: [ChatModule, SessionStoreModule, MemoryModule, SettingsModule],
  controllers: [ConversationsController, ResponsesController, ModelsController],
  providers: [ConversationsService, ResponsesService, { provide: ConversationMetadataStore, useClass: SqlConversationMetadataStore }],
})
export class OpenAiCompatModule {}
