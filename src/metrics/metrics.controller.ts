import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { Registry } from 'prom-client';
import { AdminOnly } from '../common/http/access';
import { PromMetrics } from './adapters/prom-metrics';

/** GET /metrics on the main port: Prometheus' text format, for admins (anyone with AUTH_MODE=off). Not part of the JSON API. */
@ApiExcludeController()
@SkipThrottle()
@AdminOnly()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: PromMetrics) {}

  @Get()
  @Header('Content-Type', Registry.PROMETHEUS_CONTENT_TYPE)
  @Header('Cache-Control', 'no-store')
  scrape(): Promise<string> {
    return this.metrics.text();
  }
}
