import { Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { SessionStoreModule } from '../sessions/session-store.module';
import { LangChainChatModel } from './adapters/langchain-chat-model';
import { OfflineChatModel } from './adapters/offline-chat-model';
import { ChatController } from './chat.controller';
import { ChatService } from './chat.service';
import { ChatModel } from './domain/chat-model';
import { ConversationTurns } from './domain/turns';
import { MemoryModule } from '../memory/memory.module';
import { SettingsModule } from '../settings/settings.module';
import { ContextController } from './context.controller';
import { ContextService } from './context.service';
import { ModelSummarizer } from './adapters/model-summarizer';
import { OfflineSummarizer } from './adapters/offline-summarizer';
import { Summarizer } from './domain/summarizer';
import { SummaryService } from './summary.service';
import { Metrics } from '../metrics/domain/metrics';
import { MeteredChatModel } from './adapters/metered-chat-model';

@Module({
  imports: [SessionStoreModule, MemoryModule, SettingsModule],
  controllers: [ChatController, ContextController],
  providers: [
    ChatService,
    { provide: ConversationTurns, useExisting: ChatService },
    ContextService,
    SummaryService,
    {
      provide: Summarizer,
      inject: [AppConfig, ChatModel],
      useFactory: (config: AppConfig, model: ChatModel): Summarizer =>
        config.llm.provider === 'openai' ? new ModelSummarizer(model) : new OfflineSummarizer(),
    },
    {
      provide: ChatModel,
      inject: [AppConfig, Metrics],
      useFactory: (config: AppConfig, metrics: Metrics): ChatModel =>
        new MeteredChatModel(config.llm.provider === 'openai' ? new LangChainChatModel(config) : new OfflineChatModel(), config.llm.provider, metrics),
    },
  ],
  exports: [ConversationTurns],
})
export class ChatModule {}
