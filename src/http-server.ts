import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { Logger } from '@nestjs/common';
import { AppConfig } from './config/app-config';

/** How often Node looks for requests past their header or request timeout (its default is 30 s). */
const TIMEOUT_CHECK_MS = 1000;

/**
 * Limits that keep slow or numerous clients from using up the process: slow headers and bodies are
 * cut off, and neither one address nor all of them together can hold every file descriptor, so
 * health probes (and everyone else) still get through a flood from one client.
 */
export function hardenServer(server: Server, config: AppConfig): void {
  const { headersTimeoutMs, requestTimeoutMs, keepAliveTimeoutMs, maxConnections, maxConnectionsPerIp } = config.http;
  server.headersTimeout = headersTimeoutMs;
  server.requestTimeout = requestTimeoutMs;
  server.keepAliveTimeout = keepAliveTimeoutMs;
  // Read when the server starts listening (not in @types/node): set before listen.
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = TIMEOUT_CHECK_MS;
  if (maxConnections > 0) server.maxConnections = maxConnections;
  if (maxConnectionsPerIp > 0) capConnectionsPerAddress(server, maxConnectionsPerIp);
}

function capConnectionsPerAddress(server: Server, cap: number): void {
  const open = new Map<string, number>();
  const logger = new Logger('HTTP');
  let refusedSinceLog = 0;
  let lastLog = 0;
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    const count = open.get(address) ?? 0;
    if (count >= cap) {
      socket.destroy();
      refusedSinceLog++;
      // One line per burst, not one per refused connection.
      if (Date.now() - lastLog > 10_000) {
        logger.warn(`${address} holds ${cap} connections (MAX_CONNECTIONS_PER_IP): refused ${refusedSinceLog} more`);
        lastLog = Date.now();
        refusedSinceLog = 0;
      }
      return;
    }
    open.set(address, count + 1);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left > 0) open.set(address, left);
      else open.delete(address);
    });
  });
}
