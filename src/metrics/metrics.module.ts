import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { MetricsServer } from './adapters/metrics-server';
import { PromMetrics } from './adapters/prom-metrics';
import { Metrics } from './domain/metrics';
import { MetricsController } from './metrics.controller';

/**
 * The Prometheus metrics every module records into (through the Metrics port), served at
 * GET /metrics on the main port, or on METRICS_PORT alone when that is set.
 */
@Module({})
export class MetricsModule {
  static forRoot(config: AppConfig): DynamicModule {
    const ownPort = config.metricsPort !== undefined;
    return {
      module: MetricsModule,
      global: true,
      controllers: ownPort ? [] : [MetricsController],
      providers: [PromMetrics, { provide: Metrics, useExisting: PromMetrics }, ...(ownPort ? [MetricsServer] : [])],
      exports: [Metrics, PromMetrics],
    };
  }
}
