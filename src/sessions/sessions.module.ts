import { Module } from '@nestjs/common';
import { MemoryModule } from '../memory/memory.module';
import { SessionStoreModule } from './session-store.module';
import { SessionsController } from './sessions.controller';
import { SessionsService } from './sessions.service';
import { BulkSessionsService } from './bulk-sessions.service';

@Module({
  imports: [SessionStoreModule, MemoryModule],
  controllers: [SessionsController],
  providers: [SessionsService, BulkSessionsService],
})
export class SessionsModule {}
