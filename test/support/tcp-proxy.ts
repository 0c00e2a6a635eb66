import { AddressInfo, createServer, Server, Socket } from 'node:net';
import { connect } from 'node:net';

export type ProxyMode = 'up' | 'cut' | 'blackhole';

/**
 * A TCP proxy on 127.0.0.1 that a test controls, to put in front of any server (Redis, PostgreSQL…):
 * `cut()` resets every connection and refuses new ones, `blackhole()` keeps connections open but
 * forwards nothing (new ones are accepted and held), `restore()` drops what was held (unless told to keep
 * it) and forwards again.
 */
export class TcpProxy {
  private mode: ProxyMode = 'up';
  private readonly open = new Set<Socket>();
  private readonly held = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    private readonly target: { host: string; port: number },
  ) {
    server.on('connection', (client) => this.accept(client));
  }

  static async start(target: { host?: string; port: number }, port = 0): Promise<TcpProxy> {
    const server = createServer();
    const proxy = new TcpProxy(server, { host: target.host ?? '127.0.0.1', port: target.port });
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
    return proxy;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Connections (client and upstream sockets) open now. */
  get connections(): number {
    return this.open.size;
  }

  cut(): void {
    this.mode = 'cut';
    for (const socket of [...this.open]) socket.resetAndDestroy();
  }

  blackhole(): void {
    this.mode = 'blackhole';
    for (const socket of this.open) {
      socket.unpipe();
      socket.pause();
      this.held.add(socket);
    }
  }

  /** Forwards new connections again; `keepHeld` leaves the blackholed ones open and silent, like a peer that vanished. */
  restore({ keepHeld = false } = {}): void {
    this.mode = 'up';
    if (keepHeld) return;
    for (const socket of [...this.held]) socket.resetAndDestroy();
    this.held.clear();
  }

  async close(): Promise<void> {
    for (const socket of [...this.open]) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private track(socket: Socket): void {
    this.open.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.open.delete(socket);
      this.held.delete(socket);
    });
  }

  private accept(client: Socket): void {
    this.track(client);
    if (this.mode === 'cut') return void client.resetAndDestroy();
    if (this.mode === 'blackhole') return void this.held.add(client.pause());
    const upstream = connect(this.target.port, this.target.host);
    this.track(upstream);
    const end = (other: Socket) => () => {
      if (!this.held.has(other)) other.destroy();
    };
    client.on('close', end(upstream));
    upstream.on('close', end(client));
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
