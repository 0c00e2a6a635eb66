import { Module } from '@nestjs/common';
import { MemoryModule } from '../memory/memory.module';
import { SessionStoreModule } from '../sessions/session-store.module';
import { SqlSessionSettingsStore } from './adapters/sql-session-settings-store';
import { SqlSessionSummaryStore } from './adapters/sql-session-summary-store';
import { SqlTemplateStore } from './adapters/sql-template-store';
import { SessionSettingsStore } from './domain/session-settings';
import { SessionSummaryStore } from './domain/session-summary';
import { TemplateStore } from './domain/template';
import { SettingsController } from './settings.controller';
import { SettingsRules } from './settings-rules';
import { SettingsService } from './settings.service';
import { TemplatesController } from './templates.controller';
import { TemplatesService } from './templates.service';

/** A session's settings, its running summary, and the templates sessions start from (named settings). */
@Module({
  imports: [SessionStoreModule, MemoryModule],
  controllers: [SettingsController, TemplatesController],
  providers: [
    SettingsService,
    SettingsRules,
    TemplatesService,
    { provide: SessionSettingsStore, useClass: SqlSessionSettingsStore },
    { provide: SessionSummaryStore, useClass: SqlSessionSummaryStore },
    { provide: TemplateStore, useClass: SqlTemplateStore },
  ],
  exports: [SessionSettingsStore, SessionSummaryStore, TemplateStore],
})
export class SettingsModule {}
