import { ArgumentsHost, Catch, Controller, ExceptionFilter, Get, ServiceUnavailableException, UseFilters } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { Public } from '../common/http/access';
import { HealthCheck, HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import type { Response } from 'express';
import { HealthIndicators } from './health.indicators';

/** Health answers in Terminus' own shape, the 503 included, not in the error body of other routes. */
@Catch(ServiceUnavailableException)
class HealthReportFilter implements ExceptionFilter {
  catch(error: ServiceUnavailableException, host: ArgumentsHost): void {
    host.switchToHttp().getResponse<Response>().status(503).json(error.getResponse());
  }
}

@ApiTags('health')
@Public()
@SkipThrottle()
@UseFilters(HealthReportFilter)
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicators,
  ) {}

  /** 200 when the database, the memory store and coordination answer, 503 naming the failing check otherwise. */
  @Get()
  @HealthCheck()
  @ApiOperation({ summary: 'Service health' })
  check(): Promise<HealthCheckResult> {
    return this.health.check([() => this.indicators.database(), () => this.indicators.cache(), () => this.indicators.coordination()]);
  }

  /** The process is up; checks no dependency. For liveness probes. */
  @Get('live')
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness probe' })
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  /** The database, the memory store, coordination (Redis when configured) and the disk are usable. For readiness probes. */
  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness probe' })
  ready(): Promise<HealthCheckResult> {
    return this.health.check(this.indicators.readiness());
  }
}
