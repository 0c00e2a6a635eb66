import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { PromMetrics } from './prom-metrics';

/**
 * METRICS_PORT: GET /metrics on a port of its own, without sign-in (reach it from the scraper's
 * network only), and nothing else there. Started with the app, closed with it.
 */
@Injectable()
export class MetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly server: Server;
  private readonly logger = new Logger('Metrics');

  constructor(
    private readonly metrics: PromMetrics,
    private readonly config: AppConfig,
  ) {
    this.server = createServer((req, res) => void this.answer(req, res));
    this.server.requestTimeout = config.http.requestTimeoutMs;
    this.server.headersTimeout = config.http.headersTimeoutMs;
  }

  /** The port it listens on (METRICS_PORT=0 picks a free one). */
  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  async onApplicationBootstrap(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.config.metricsPort, this.config.host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.logger.log(`Metrics on http://${this.config.host ?? 'localhost'}:${this.port}/metrics`);
  }

  async onApplicationShutdown(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = req.url?.split('?', 1)[0];
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Only GET /metrics is served here.\n');
      return;
    }
    try {
      const text = await this.metrics.text();
      res.writeHead(200, { 'Content-Type': this.metrics.contentType, 'Cache-Control': 'no-store' }).end(req.method === 'HEAD' ? undefined : text);
    } catch (error) {
      this.logger.error(`Could not collect the metrics: ${(error as Error).message}`);
      res.writeHead(500, { 'Content-Type': 'text/plain' }).end('The metrics could not be collected.\n');
    }
  }
}
