import { Module } from '@nestjs/common';
import { TypeOrmSessionStore } from './adapters/typeorm-session-store';
import { SessionStore } from './domain/session-store';

@Module({
  providers: [{ provide: SessionStore, useClass: TypeOrmSessionStore }],
  exports: [SessionStore],
})
export class SessionStoreModule {}
