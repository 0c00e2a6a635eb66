import { Module } from '@nestjs/common';
import { HealthCheckService, TerminusModule } from '@nestjs/terminus';
import { Metrics } from '../metrics/domain/metrics';
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
export class HealthModule {
  constructor(health: HealthCheckService, indicators: HealthIndicators, metrics: Metrics) {
    metrics.watchReadiness(() => health.check(indicators.readiness()).then(() => true, () => false));
  }
}
