import { Module } from '@nestjs/common';
import { SessionStoreModule } from '../sessions/session-store.module';
import { SqlShareStore } from './adapters/sql-share-store';
import { ShareStore } from './domain/shared-conversation';
import { SharingController } from './sharing.controller';
import { SharingService } from './sharing.service';

@Module({
  imports: [SessionStoreModule],
  controllers: [SharingController],
  providers: [SharingService, { provide: ShareStore, useClass: SqlShareStore }],
})
export class SharingModule {}
