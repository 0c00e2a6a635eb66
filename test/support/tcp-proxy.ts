import { connect, createServer, Server, Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

type Mode = 'open' | 'cut' | 'blackhole';


/**
 * A TCP proxy on 127.0.0.1 in front of one server, which a test turns into a failing network:
 * - `cut()`: every connection is closed and new ones are refused (the server went away);
 * - `blackhole()`: connections stay open, new ones are accepted, and nothing gets through either way
 *   (packets dropped: the peers only notice by their own timeouts);
 * - `restore()`: new connections pass again; those that lived through a blackhole lost bytes, so
 *   they are closed (as the peers' kernels would reset them once the network healed).
 *
 * It closes sockets with `destroy()`: `resetAndDestroy()` left a handle spinning (Node 20).
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
  private listeningPort = 0;

  private constructor(private readonly target: { host: string; port: number }) {}

  /** Starts a proxy to `host:port` on a free local port. */
  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const proxy = new TcpProxy(target);
    await proxy.listen();
    return proxy;
  }

  get port(): number {
    return this.listeningPort;
  }

  /** Connections currently held, through or not. */
  get connections(): number {
    return this.links.size;
  }

  /** Closes every connection and stops listening, so new ones get ECONNREFUSED. */
  cut(): void {
    if (this.mode !== 'cut') this.server.close();
    this.mode = 'cut';
    for (const link of this.links) this.drop(link);
  }

  blackhole(): void {
    this.mode = 'blackhole';
    for (const link of this.links) link.damaged = true;
  }

  /** Lets new connections through again (listening on the same port after a cut). */
  async restore(): Promise<void> {
    const wasCut = this.mode === 'cut';
    this.mode = 'open';
    for (const link of this.links) if (link.damaged) this.drop(link);
    if (wasCut) await this.listen();
  }

  async close(): Promise<void> {
    for (const link of this.links) this.drop(link);
    if (this.server.listening) await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.listeningPort, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.listeningPort = (this.server.address() as AddressInfo).port;
  }

  private accept(client: Socket): void {
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
    for (const socket of [link.client, link.upstream]) if (socket && !socket.destroyed) socket.destroy();
  }
}
