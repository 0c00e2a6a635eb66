import { ConsoleLogger, Injectable, Scope } from '@nestjs/common';

const QUIET_MS = 60_000;

/**
 * Terminus logs a report for every failed probe, and orchestrators probe every few seconds: during
 * an outage that is a block per probe. This says it once, then at most once a minute while failing.
 */
@Injectable({ scope: Scope.TRANSIENT })
export class HealthCheckLogger extends ConsoleLogger {
  private lastErrorAt = -Infinity;

  override error(message: unknown, ...rest: unknown[]): void {
    const now = Date.now();
    if (now - this.lastErrorAt < QUIET_MS) return;
    this.lastErrorAt = now;
    super.error(message, ...rest);
  }
}
