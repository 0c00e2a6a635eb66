import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JWT_SECRET } from '../support/auth-helpers';
import { ServerProcess, startServer } from '../support/server-process';

const MAIN = join(__dirname, '..', '..', 'dist', 'main.js');
// Each test starts a process: seconds on a busy machine.
jest.setTimeout(30_000);

describe('the built server and its auth mode', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'chat-auth-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const stop = async (server: ServerProcess) => {
    server.kill('SIGKILL');
    await server.exited;
  };

  it('should refuse to start in jwt mode without JWT_SECRET, naming the variable', () => {
    const run = spawnSync(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH ?? '', AUTH_MODE: 'jwt', DATABASE_URL: `sqlite:${join(dir, 'chat.db')}` },
      encoding: 'utf8',
      timeout: 10_000,
    });
    expect(run.status).toBe(78);
    expect(run.stderr).toContain('JWT_SECRET');
  });

  it('should listen on 127.0.0.1 only in off mode, and say so in one line', async () => {
    const server = await startServer({ DATABASE_URL: `sqlite:${join(dir, 'chat.db')}` });
    try {
      expect(server.output()).toMatch(/AUTH_MODE=off: .*listening on 127\.0\.0\.1 only/);
      expect((await fetch(`${server.url}/api/health/live`)).status).toBe(200);
    } finally {
      await stop(server);
    }
  });

  it('should keep passwords, tokens and API keys out of its logs and replies', async () => {
    const server = await startServer({ DATABASE_URL: `sqlite:${join(dir, 'chat.db')}`, AUTH_MODE: 'jwt', JWT_SECRET, LOG_LEVEL: 'debug' });
    try {
      const call = async (method: string, path: string, body?: object, token?: string) => {
        const res = await fetch(`${server.url}${path}`, {
          method,
          headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
          body: body ? JSON.stringify(body) : undefined,
        });
        return { status: res.status, text: await res.text() };
      };
      const password = 'Sup3r-Secret-Passw0rd';
      const registered = await call('POST', '/api/auth/register', { username: 'alice', password });
      const token = JSON.parse(registered.text).access_token as string;
      const replies = [registered];
      replies.push(await call('POST', '/api/auth/login', { username: 'alice', password }));
      replies.push(await call('POST', '/api/auth/login', { username: 'alice', password: `${password}-wrong` }));
      replies.push(await call('POST', '/api/auth/register', { username: 'bob', password: 'short' }));
      replies.push(await call('POST', '/api/auth/register', { username: 'al ice', password }));
      const created = await call('POST', '/api/auth/keys', { name: 'ci' }, token);
      const key = JSON.parse(created.text).key as string;
      replies.push(await call('GET', '/api/auth/keys', undefined, token));
      replies.push(await call('GET', '/api/auth/me', undefined, key));
      replies.push(await call('GET', '/api/users', undefined, token));
      replies.push(await call('DELETE', `/api/auth/keys/${JSON.parse(created.text).id}`, undefined, token));
      replies.push(await call('GET', '/api/auth/me', undefined, key));
      replies.push(await call('GET', '/api/auth/me', undefined, `${token}x`));
      expect(replies.map((r) => r.status)).toEqual([201, 200, 401, 400, 400, 200, 200, 200, 204, 401, 401]);

      const everything = replies.map((r) => r.text).join('\n');
      for (const secret of [password, key, 'scrypt$', 'password_hash', 'key_hash']) expect({ secret, inReplies: everything.includes(secret) }).toEqual({ secret, inReplies: false });
      const log = server.output();
      expect(log).toContain('Listening on');
      for (const secret of [password, key, token, JWT_SECRET, 'scrypt$']) expect({ secret, inLog: log.includes(secret) }).toEqual({ secret, inLog: false });
    } finally {
      await stop(server);
    }
  });
});
