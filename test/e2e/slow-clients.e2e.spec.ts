import { mkdtempSync, rmSync } from 'node:fs';
import { connect, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, ServerProcess } from '../support/server-process';
import { waitFor } from '../support/wait-for';

jest.setTimeout(30_000);

/** A client on 127.0.0.2 (a loopback address of its own) that sends `head` and then nothing. */
function slowClient(port: number, head: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, localAddress: '127.0.0.2' }, () => {
      socket.write(head);
      resolve(socket);
    });
    socket.on('error', () => undefined);
    socket.once('error', reject);
  });
}

/** Resolves with what the server sent and how long it kept the connection, once it closes it. */
function untilClosed(socket: Socket): Promise<{ reply: string; ms: number }> {
  const started = Date.now();
  let reply = '';
  socket.on('data', (d: Buffer) => (reply += d.toString()));
  return new Promise((resolve) => socket.once('close', () => resolve({ reply, ms: Date.now() - started })));
}

async function live(server: ServerProcess): Promise<number> {
  const res = await fetch(`${server.url}/api/health/live`, { signal: AbortSignal.timeout(2000) });
  return res.status;
}

describe('slow and numerous clients', () => {
  let dir: string;
  const servers: ServerProcess[] = [];
  const sockets: Socket[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'chat-slow-'));
  });
  afterEach(async () => {
    sockets.splice(0).forEach((s) => s.destroy());
    for (const server of servers.splice(0)) {
      server.kill('SIGKILL');
      await server.exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  const start = async (env: Record<string, string>, fdLimit?: number) => {
    const server = await startServer({ DATABASE_URL: `sqlite:${join(dir, 'chat.db')}`, ...env }, 15_000, { fdLimit });
    servers.push(server);
    return server;
  };

  it('should cut off a client that sends its headers too slowly, with 408, after HTTP_HEADERS_TIMEOUT_MS', async () => {
    const server = await start({ HTTP_HEADERS_TIMEOUT_MS: '300', HTTP_REQUEST_TIMEOUT_MS: '2000' });
    const socket = await slowClient(Number(new URL(server.url).port), 'GET /api/health/live HTTP/1.1\r\nHost: x\r\n');
    const { reply, ms } = await untilClosed(socket);
    expect(reply).toMatch(/^HTTP\/1\.1 408/);
    expect(ms).toBeLessThan(2000);
  });

  it('should cut off a client that sends its body too slowly after HTTP_REQUEST_TIMEOUT_MS', async () => {
    const server = await start({ HTTP_HEADERS_TIMEOUT_MS: '300', HTTP_REQUEST_TIMEOUT_MS: '600' });
    const head = 'POST /api/generate/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"prompt": "';
    const socket = await slowClient(Number(new URL(server.url).port), head);
    const { reply, ms } = await untilClosed(socket);
    expect(reply).toMatch(/^HTTP\/1\.1 408/);
    expect(ms).toBeLessThan(3000);
  });

  it('should keep answering health probes while one client floods it with more slow connections than it has file descriptors', async () => {
    // 600 slow connections against a process allowed 400 file descriptors: without the per-address
    // cap the flood takes every descriptor and the probe gets no connection.
    const server = await start({ MAX_CONNECTIONS_PER_IP: '100', HTTP_HEADERS_TIMEOUT_MS: '20000', HTTP_REQUEST_TIMEOUT_MS: '20000' }, 400);
    const port = Number(new URL(server.url).port);
    const results = await Promise.allSettled(Array.from({ length: 600 }, () => slowClient(port, 'GET /api/health/live HTTP/1.1\r\n')));
    for (const r of results) if (r.status === 'fulfilled') sockets.push(r.value);
    for (let i = 0; i < 20; i++) expect(await live(server)).toBe(200);
    // The server closed what was over the cap at once, and said so in one line.
    await waitFor(() => sockets.filter((s) => !s.destroyed && !s.readableEnded).length <= 100, 'the connections over the cap to be closed', 10_000);
    expect(server.output().match(/MAX_CONNECTIONS_PER_IP/g)).toHaveLength(1);
  });

  it('should hold at most MAX_CONNECTIONS connections in all', async () => {
    const server = await start({ MAX_CONNECTIONS: '30', MAX_CONNECTIONS_PER_IP: '0', HTTP_HEADERS_TIMEOUT_MS: '20000', HTTP_REQUEST_TIMEOUT_MS: '20000' });
    const port = Number(new URL(server.url).port);
    const results = await Promise.allSettled(Array.from({ length: 60 }, () => slowClient(port, 'GET / HTTP/1.1\r\n')));
    for (const r of results) if (r.status === 'fulfilled') sockets.push(r.value);
    await waitFor(() => sockets.filter((s) => !s.destroyed && !s.readableEnded).length <= 30, 'the connections over MAX_CONNECTIONS to be closed', 10_000);
  });
});
