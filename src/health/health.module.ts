import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { MemoryModule } from '../chat/memory.module';
import { HealthController } from './health.controller';
import { HealthIndicators } from './health.indicators';

@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'pretty' }), MemoryModule],
  controllers: [HealthController],
  providers: [HealthIndicators],
})
export class HealthModule {}
