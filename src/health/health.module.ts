import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { MemoryModule } from '../memory/memory.module';
import { SessionStoreModule } from '../sessions/session-store.module';
import { HealthCheckLogger } from './health-check-logger';
import { HealthController } from './health.controller';
import { HealthIndicators } from './health.indicators';

@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'pretty', logger: HealthCheckLogger }), MemoryModule, SessionStoreModule],
  controllers: [HealthController],
  providers: [HealthIndicators],
})
export class HealthModule {}
