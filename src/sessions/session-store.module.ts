import { Module } from '@nestjs/common';
import { SentimentModule } from '../sentiment/sentiment.module';
import { SqlSessionStore } from './adapters/sql-session-store';
import { SqlSessionOrganiser } from './adapters/sql-session-organiser';
import { SqlStoreHealth } from './adapters/sql-store-health';
import { SqlSessionBulkStore } from './adapters/sql-session-bulk-store';
import { SessionBulkStore } from './domain/bulk';
import { SessionOrganiser } from './domain/organise';
import { SessionStore } from './domain/session-store';
import { StoreHealth } from './domain/store-health';

@Module({
  imports: [SentimentModule],
  providers: [
    { provide: SessionStore, useClass: SqlSessionStore },
    { provide: StoreHealth, useClass: SqlStoreHealth },
    { provide: SessionOrganiser, useClass: SqlSessionOrganiser },
    { provide: SessionBulkStore, useClass: SqlSessionBulkStore },
  ],
  exports: [SessionStore, StoreHealth, SessionOrganiser, SessionBulkStore],
})
export class SessionStoreModule {}
