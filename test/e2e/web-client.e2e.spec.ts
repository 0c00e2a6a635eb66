import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServerProcess, startServer } from '../support/server-process';

// ServeStaticModule loads Express through import.meta, which Jest's CommonJS transform cannot give
// it: the web client is tested on the built server, as it runs in production.
describe('serving the web client', () => {
  let dir: string;
  let server: ServerProcess;
  const get = (path: string) => fetch(`${server.url}${path}`);

  // startServer waits up to 15 s for the process; on a loaded machine a start outlasts Jest's default 5 s.
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'chat-client-'));
    mkdirSync(join(dir, 'client', 'assets'), { recursive: true });
    writeFileSync(join(dir, 'client', 'index.html'), '<!doctype html><title>Chat</title><div id="root"></div>');
    writeFileSync(join(dir, 'client', 'assets', 'app-1234.js'), 'console.log(1)');
    server = await startServer({ DATABASE_URL: `sqlite:${join(dir, 'chat.db')}`, CLIENT_DIR: join(dir, 'client'), METRICS_PORT: '0' });
  }, 20_000);
  afterAll(async () => {
    server.kill('SIGKILL');
    await server.exited;
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(['/', '/admin', '/some/deep/link', '/shared/AbCdEfGhIjKlMnOpQrStUv', '/shared/AbCdEfGhIjKlMnOpQrStUv/continue'])('should answer %s with the app, not cached', async (path) => {
    const res = await get(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(await res.text()).toContain('<div id="root">');
    expect(res.headers.get('cache-control')).toBe('no-cache');
  });

  it('should answer /metrics with a JSON 404 when METRICS_PORT serves it, not with the app', async () => {
    const res = await get('/metrics');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ status: 404, code: 'not_found' });
    const metricsUrl = /Metrics on (http:\/\/[^\s"]+\/metrics)/.exec(server.output())?.[1];
    const scraped = await fetch(metricsUrl!.replace('localhost', '127.0.0.1'));
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toMatch(/^http_request_duration_seconds_count\{method="GET",route="\/metrics",status="404"\} 1$/m);
  });

  it('should serve hashed assets as immutable and a missing one as a JSON 404', async () => {
    const asset = await get('/assets/app-1234.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    for (const path of ['/assets/app-0000.js', '/assets/..%2F..%2Fchat.db']) {
      const missing = await get(path);
      expect(missing.status).toBe(404);
      expect(await missing.json()).toMatchObject({ status: 404, code: 'not_found' });
    }
  });

  it.each([['POST', '/admin'], ['DELETE', '/'], ['GET', '//api//x']])('should answer %s %s with a JSON 404', async (method, path) => {
    const res = await fetch(`${server.url}${path}`, { method });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ status: 404, code: 'not_found', detail: expect.any(String) });
  });

  it('should refuse a malformed asset path with 400', async () => {
    const res = await get('/assets/%E0%A4%A');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: string }).code).toBe('bad_request');
  });

  it('should keep unknown API routes a JSON 404', async () => {
    const res = await get('/api/missing');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ status: 404, code: 'not_found' });
  });
});
