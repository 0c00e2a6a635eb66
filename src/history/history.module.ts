import { Module } from '@nestjs/common';
import { MemoryModule } from '../memory/memory.module';
import { SessionStoreModule } from '../sessions/session-store.module';
import { HistoryController } from './history.controller';
import { HistoryService } from './history.service';

@Module({
  imports: [SessionStoreModule, MemoryModule],
  controllers: [HistoryController],
  providers: [HistoryService],
})
export class HistoryModule {}
