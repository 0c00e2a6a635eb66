import { Module } from '@nestjs/common';
import { SessionStoreModule } from '../sessions/session-store.module';
import { SqlSessionSettingsStore } from './adapters/sql-session-settings-store';
import { SessionSettingsStore } from './domain/session-settings';
import { SettingsController } from './settings.controller';
import { SettingsService } from './settings.service';

@Module({
  imports: [SessionStoreModule],
  controllers: [SettingsController],
  providers: [SettingsService, { provide: SessionSettingsStore, useClass: SqlSessionSettingsStore }],
  exports: [SessionSettingsStore],
})
export class SettingsModule {}
