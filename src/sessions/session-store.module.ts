import { Module } from '@nestjs/common';
import { SqlSessionStore } from './adapters/sql-session-store';
import { SqlStoreHealth } from './adapters/sql-store-health';
import { SessionStore } from './domain/session-store';
import { StoreHealth } from './domain/store-health';

@Module({
  providers: [
    { provide: SessionStore, useClass: SqlSessionStore },
    { provide: StoreHealth, useClass: SqlStoreHealth },
  ],
  exports: [SessionStore, StoreHealth],
})
export class SessionStoreModule {}
