import request from 'supertest';
import { MetricsServer } from '../../src/metrics/adapters/metrics-server';
import { JWT_ENV, register } from '../support/auth-helpers';
import { FakeOpenAiServer } from '../support/fake-openai-server';
import { createTestApp, TestApp } from '../support/test-app';

/** The samples of an exposition text: `name{labels} value` lines, comments left out. */
function samples(text: string): { name: string; labels: Record<string, string>; value: number }[] {
  return text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`Not a sample line: ${line}`);
      const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
      return { name: match[1], labels, value: Number(match[3]) };
    });
}

function value(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  return samples(text).find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

describe('GET /metrics', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.dispose();
  });

  it('should count requests by route template and status, turns by strategy and outcome, and the model, store and lock behind them', async () => {
    const { body } = await t.http().post('/api/generate').send({ prompt: 'first question' }).expect(200);
    const sessionId = (body as { session_id: string }).session_id;
    await t.http().post('/api/generate/stream').send({ prompt: 'second question', session_id: sessionId }).buffer(true).expect(200);
    await t.http().get(`/api/sessions/${sessionId}`).expect(200);
    await t.http().get('/api/sessions/00000000-0000-4000-8000-000000000000').expect(404);
    await t.http().post('/api/generate').send({ prompt: 'x', max_history: 0 }).expect(400);

    const res = await t.http().get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = res.text;

    // Route templates, never raw ids.
    expect(value(text, 'http_request_duration_seconds_count', { method: 'POST', route: '/api/generate', status: '200' })).toBe(1);
    expect(value(text, 'http_request_duration_seconds_count', { method: 'POST', route: '/api/generate', status: '400' })).toBe(1);
    expect(value(text, 'http_request_duration_seconds_count', { method: 'GET', route: '/api/sessions/:session_id', status: '200' })).toBe(1);
    expect(value(text, 'http_request_duration_seconds_count', { method: 'GET', route: '/api/sessions/:session_id', status: '404' })).toBe(1);
    expect(text).not.toContain(sessionId);
    expect(value(text, 'http_request_duration_seconds_bucket', { route: '/api/generate', status: '200', le: '+Inf' })).toBe(1);

    expect(value(text, 'chat_turn_duration_seconds_count', { strategy: 'window', outcome: 'stop' })).toBe(2);
    const model = { provider: 'offline', model: 'offline' };
    expect(value(text, 'chat_model_call_duration_seconds_count', model)).toBe(2);
    expect(value(text, 'chat_model_first_token_seconds_count', model)).toBe(1);
    expect(value(text, 'chat_model_tokens_total', { ...model, direction: 'in' })).toBeGreaterThan(0);
    expect(value(text, 'chat_model_tokens_total', { ...model, direction: 'out' })).toBeGreaterThan(0);
    expect(value(text, 'chat_db_query_duration_seconds_count', { kind: 'read' })).toBeGreaterThan(0);
    expect(value(text, 'chat_db_query_duration_seconds_count', { kind: 'write' }) ?? 0).toBeGreaterThanOrEqual(0);
    expect(value(text, 'chat_lock_wait_seconds_count', { lock: 'session' })).toBe(2);
    expect(value(text, 'chat_memory_windows')).toBe(1);
    expect(value(text, 'chat_memory_window_bytes')).toBeGreaterThan(0);
    expect(value(text, 'chat_ready')).toBe(1);
    // The process's own: event-loop lag and the default metrics.
    expect(value(text, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(value(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(value(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  });
});

describe('GET /metrics with an OpenAI-compatible model', () => {
  const server = new FakeOpenAiServer();
  let t: TestApp;

  beforeAll(async () => {
    await server.start();
    t = await createTestApp({ env: { LLM_PROVIDER: 'openai', OPENAI_BASE_URL: server.baseUrl, OPENAI_MODEL: 'model-x', LLM_MAX_RETRIES: '0' } });
  });

  afterAll(async () => {
    await t.dispose();
    await server.stop();
  });

  it("should count the tokens the server reports, and failed calls and turns by their error code", async () => {
    // The fake server reports 10 prompt and 5 completion tokens for a whole reply.
    server.next({ kind: 'reply', text: 'An answer.' }, { kind: 'status', status: 429 });
    const { body } = await t.http().post('/api/generate').send({ prompt: 'a question' }).expect(200);
    await t.http().post('/api/generate').send({ prompt: 'another', session_id: (body as { session_id: string }).session_id }).expect(503);
    const { text } = await t.http().get('/metrics').expect(200);
    const model = { provider: 'openai', model: 'model-x' };
    expect(value(text, 'chat_model_tokens_total', { ...model, direction: 'in' })).toBe(10);
    expect(value(text, 'chat_model_tokens_total', { ...model, direction: 'out' })).toBe(5);
    expect(value(text, 'chat_model_errors_total', { ...model, code: 'llm_unavailable' })).toBe(1);
    expect(value(text, 'chat_model_call_duration_seconds_count', model)).toBe(2);
    expect(value(text, 'chat_turn_duration_seconds_count', { strategy: 'window', outcome: 'stop' })).toBe(1);
    expect(value(text, 'chat_turn_duration_seconds_count', { strategy: 'window', outcome: 'llm_unavailable' })).toBe(1);
    expect(value(text, 'http_request_duration_seconds_count', { method: 'POST', route: '/api/generate', status: '503' })).toBe(1);
  });
});

describe('GET /metrics with accounts', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: JWT_ENV });
  });

  afterAll(async () => {
    await t.dispose();
  });

  it('should answer only an admin, by access token or API key', async () => {
    const admin = await register(t, 'admin-one');
    const user = await register(t, 'user-one');
    await t.http().get('/metrics').expect(401);
    await t.http().get('/metrics').set('Authorization', user.auth).expect(403);
    await t.http().get('/metrics').set('Authorization', admin.auth).expect(200);
    const key = await t.http().post('/api/auth/keys').set('Authorization', admin.auth).send({ name: 'prometheus' }).expect(201);
    const scraped = await t.http().get('/metrics').set('Authorization', `Bearer ${(key.body as { key: string }).key}`).expect(200);
    expect(scraped.text).toContain('# TYPE chat_turn_duration_seconds histogram');
  });
});

describe('METRICS_PORT', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { ...JWT_ENV, METRICS_PORT: '0' } });
  });

  afterAll(async () => {
    await t.dispose();
  });

  it('should serve /metrics on its own port without sign-in, and not on the main port', async () => {
    const port = t.app.get(MetricsServer).port;
    const res = await request(`http://127.0.0.1:${port}`).get('/metrics').expect(200);
    expect(res.text).toContain('# TYPE http_request_duration_seconds histogram');
    await request(`http://127.0.0.1:${port}`).get('/api/health').expect(404);
    const admin = await register(t, 'admin-two');
    await t.http().get('/metrics').set('Authorization', admin.auth).expect(404);
  });
});
