import { connect, createServer, Server, Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

type Mode = 'open' | 'cut' | 'blackhole';

/**
 * A TCP proxy on 127.0.0.1 in front of one server, which a test turns into a failing network:
 * - `cut()`: every connection is reset and new ones are refused (the server went away);
 * - `blackhole()`: connections stay open, new ones are accepted, and nothing gets through either way
 *   (packets dropped: the peers only notice by their own timeouts);
 * - `restore()`: new connections pass again; those that lived through a blackhole lost bytes, so
 *   they are reset (as the peer's kernel would once the network healed).
 */
interface Link {
  readonly client: Socket;
  /** None for a connection accepted during a blackhole: it never reaches the server. */
  readonly upstream?: Socket;
  /** Bytes were dropped on it: it can never carry a well-formed stream again. */
  damaged: boolean;
}

export class TcpProxy {
  private readonly server: Server = createServer((client) => this.accept(client));
  private readonly links = new Set<Link>();
  private mode: Mode = 'open';

  private constructor(private readonly target: { host: string; port: number }) {}

  /** Starts a proxy to `host:port` on a free local port. */
  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const proxy = new TcpProxy(target);
    await new Promise<void>((resolve, reject) => {
      proxy.server.once('error', reject);
      proxy.server.listen(0, '127.0.0.1', () => resolve());
    });
    return proxy;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Connections currently held, through or not. */
  get connections(): number {
    return this.links.size;
  }

  cut(): void {
    this.mode = 'cut';
    for (const link of this.links) this.drop(link);
  }

  blackhole(): void {
    this.mode = 'blackhole';
    for (const link of this.links) link.damaged = true;
  }

  restore(): void {
    this.mode = 'open';
    for (const link of this.links) if (link.damaged) this.drop(link);
  }

  async close(): Promise<void> {
    for (const link of this.links) this.drop(link);
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    if (this.mode === 'cut') {
      client.on('error', () => undefined);
      client.resetAndDestroy();
      return;
    }
    const upstream = this.mode === 'open' ? connect(this.target.port, this.target.host) : undefined;
    const link: Link = { client, upstream, damaged: this.mode === 'blackhole' };
    this.links.add(link);
    for (const [from, to] of [[client, upstream], [upstream, client]] as const) {
      if (!from) continue;
      from.on('data', (chunk: Buffer) => {
        if (!link.damaged && to && !to.destroyed) to.write(chunk);
      });
      from.on('error', () => undefined);
      // While the network works a close reaches the other side; in a blackhole nobody hears it.
      from.on('close', () => {
        if (!link.damaged) this.drop(link);
      });
    }
  }

  private drop(link: Link): void {
    this.links.delete(link);
    for (const socket of [link.client, link.upstream]) if (socket && !socket.destroyed) socket.resetAndDestroy();
  }
}
