import { Module } from '@nestjs/common';
import { MemoryModule } from '../memory/memory.module';
import { SessionStoreModule } from '../sessions/session-store.module';
import { SqlSessionSettingsStore } from './adapters/sql-session-settings-store';
import { SqlSessionSummaryStore } from './adapters/sql-session-summary-store';
import { SessionSettingsStore } from './domain/session-settings';
import { SessionSummaryStore } from './domain/session-summary';
import { SettingsController } from './settings.controller';
import { SettingsService } from './settings.service';

@Module({
  imports: [SessionStoreModule, MemoryModule],
  controllers: [SettingsController],
  providers: [
    SettingsService,
    { provide: SessionSettingsStore, useClass: SqlSessionSettingsStore },
    { provide: SessionSummaryStore, useClass: SqlSessionSummaryStore },
  ],
  exports: [SessionSettingsStore, SessionSummaryStore],
})
export class SettingsModule {}
