import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, ServerProcess } from '../support/server-process';
import { createTestApp, TestApp } from '../support/test-app';

describe('health routes', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.dispose());

  it('should report ok with the database, the cache and coordination in Terminus shape, each timed', async () => {
    const res = await t.http().get('/api/health').expect(200);
    const timed = { status: 'up', responseTime: expect.any(Number) };
    expect(res.body).toMatchObject({
      status: 'ok',
      info: { database: { ...timed, dialect: 'sqlite' }, cache: { ...timed, store: 'memory' }, coordination: { ...timed, store: 'in-process' } },
      details: { database: { status: 'up' }, cache: { status: 'up' } },
    });
    await t.http().get('/api/health/').expect(200);
  });

  it('should answer liveness without checking dependencies, and readiness with the disk too', async () => {
    expect((await t.http().get('/api/health/live').expect(200)).body).toMatchObject({ status: 'ok' });
    const ready = await t.http().get('/api/health/ready/').expect(200);
    expect(Object.keys(ready.body.details).sort()).toEqual(['cache', 'coordination', 'database', 'storage']);
    for (const check of Object.values(ready.body.details)) expect(check).toMatchObject({ status: 'up', responseTime: expect.any(Number) });
  });

  it('should answer 503 naming the database when it is gone, and liveness still 200', async () => {
    const broken = await createTestApp();
    const { DataSource } = await import('typeorm');
    await broken.app.get(DataSource).destroy();
    const res = await broken.http().get('/api/health').expect(503);
    expect(res.body.status).toBe('error');
    expect(res.body.error.database.status).toBe('down');
    await broken.http().get('/api/health/live').expect(200);
    await broken.dispose();
  });
});

describe('OpenAPI document of the built service', () => {
  let server: ServerProcess;
  let dir: string;
  let doc: {
    paths: Record<string, Record<string, { requestBody?: unknown; tags?: string[]; responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>>;
    components: { schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }> };
  };

  // startServer waits up to 15 s for the process; on a loaded machine a start outlasts Jest's default 5 s.
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'chat-docs-'));
    server = await startServer({ DATABASE_URL: `sqlite:${join(dir, 'chat.db')}` });
    doc = (await (await fetch(`${server.url}/api/docs-json`)).json()) as typeof doc;
  }, 20_000);
  afterAll(async () => {
    server.kill('SIGKILL');
    await server.exited;
    rmSync(dir, { recursive: true, force: true });
  });

  it('should be the document the web client is typed from (regenerate with `npm run openapi`)', () => {
    const committed = JSON.parse(readFileSync(join(__dirname, '..', '..', 'client', 'openapi.json'), 'utf8'));
    expect(committed).toEqual(doc);
  });

  it('should serve the Swagger UI at /api/docs', async () => {
    const res = await fetch(`${server.url}/api/docs`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('swagger-ui');
  });

  it('should list every route of the contract', () => {
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        '/api/auth/config',
        '/api/auth/keys',
        '/api/auth/keys/{id}',
        '/api/auth/login',
        '/api/auth/me',
        '/api/auth/oidc/callback',
        '/api/auth/oidc/login',
        '/api/auth/register',
        '/api/users',
        '/api/users/{id}',
        '/api/analytics/usage',
        '/api/cleanup_sessions',
        '/api/clear_history',
        '/api/generate',
        '/api/generate/stream',
        '/api/get_history',
        '/api/health',
        '/api/health/live',
        '/api/health/ready',
        '/api/search',
        '/api/session_names',
        '/api/session_stats',
        '/api/sessions',
        '/api/sessions/{session_id}',
        '/api/sessions/{session_id}/context',
        '/api/sessions/{session_id}/settings',
        '/api/sessions/{session_id}/share',
        '/api/sessions/{session_id}/share/{share_id}',
        '/api/shared/{share_id}',
        '/api/shared/{share_id}/continue',
        '/api/templates',
        '/api/templates/{id}',
        '/api/sessions/{session_id}/export',
        '/api/sessions/bulk',
        '/api/sessions/import',
        '/api/export',
        '/v1/conversations',
        '/v1/conversations/{conversation_id}',
        '/v1/conversations/{conversation_id}/items',
        '/v1/conversations/{conversation_id}/items/{item_id}',
        '/v1/models',
        '/v1/models/{model}',
        '/v1/responses',
        '/v1/responses/{response_id}',
      ].sort(),
    );
  });

  it("should document OpenAI's routes under their own tag, with OpenAI's error body", () => {
    for (const [path, methods] of Object.entries(doc.paths).filter(([path]) => path.startsWith('/v1/'))) {
      for (const [method, operation] of Object.entries(methods)) {
        expect({ route: `${method} ${path}`, tags: operation.tags }).toEqual({ route: `${method} ${path}`, tags: ['openai'] });
        expect(operation.responses['401'].content!['application/json'].schema).toEqual({ $ref: '#/components/schemas/OpenAiErrorDto' });
      }
    }
    expect(doc.paths['/v1/responses'].post.responses['200'].content).toHaveProperty('text/event-stream');
  });

  it('should describe request bodies and responses with their fields, from the DTOs', () => {
    const schema = (name: string) => doc.components.schemas[name];
    // The template DTOs inherit model, temperature and memory (and their checks) from the session settings'.
    expect(schema('CreateTemplateRequestDto').required?.sort()).toEqual(['name', 'system_prompt']);
    expect(schema('CreateTemplateRequestDto').properties!.temperature).toMatchObject({ minimum: 0, maximum: 2 });
    expect(Object.keys(schema('TemplateDto').properties!).sort()).toEqual(
      ['builtin', 'category', 'id', 'memory', 'model', 'name', 'starter_prompts', 'system_prompt', 'temperature'],
    );
    expect(Object.keys(schema('GenerateRequestDto').properties!).sort()).toEqual(['max_history', 'prompt', 'session_id', 'template_id']);
    expect(schema('GenerateRequestDto').required).toEqual(['prompt']);
    expect(schema('GenerateRequestDto').properties!.max_history).toMatchObject({ minimum: 1, maximum: 100 });
    // Absent, it is the session's setting (10 unless changed): no fixed default to document.
    expect(schema('GenerateRequestDto').properties!.max_history).not.toHaveProperty('default');
    expect(Object.keys(schema('SessionSettingsDto').properties!).sort()).toEqual(['allowed_models', 'memory', 'model', 'system_prompt', 'temperature']);
    expect(Object.keys(schema('SessionContextDto').properties!).sort()).toEqual(['max_tokens', 'messages', 'strategy', 'summary_covers_until', 'tokens']);
    expect(Object.keys(schema('GenerateResponseDto').properties!).sort()).toEqual(['chat_name', 'code', 'finish_reason', 'message_type', 'response', 'session_id', 'timestamp']);
    expect(Object.keys(schema('GetHistoryResponseDto').properties!).sort()).toEqual(['has_more', 'history', 'messages', 'session_id', 'status']);
    expect(Object.keys(schema('SessionStatsDto').properties!)).toHaveLength(7);
    expect(Object.keys(schema('UsagePointDto').properties!).sort()).toEqual(
      ['active_users', 'avg_latency_ms', 'avg_sentiment', 'model_calls', 'model_errors', 'new_sessions', 'p95_latency_ms', 'scored_messages', 'start', 'tokens_in', 'tokens_out', 'turns'],
    );
    expect(Object.keys(schema('ErrorResponseDto').properties!)).toEqual(expect.arrayContaining(['status', 'code', 'detail']));
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        // The single sign-on routes answer with redirects.
        const ok = operation.responses['200'] ?? operation.responses['201'] ?? operation.responses['204'] ?? operation.responses['302'];
        expect({ route: `${method} ${path}`, documented: ok !== undefined }).toEqual({ route: `${method} ${path}`, documented: true });
        // Actions on the resource the path names take no body.
        const bodyless = ['/api/sessions/{session_id}/share', '/api/shared/{share_id}/continue'].includes(path);
        if (method === 'post' && !bodyless) expect({ route: path, body: operation.requestBody !== undefined }).toEqual({ route: path, body: true });
      }
    }
    expect(doc.paths['/api/generate'].post.responses['502']).toBeDefined();
    expect(doc.paths['/api/session_names'].get.responses['200'].content!['application/json'].schema).toEqual({
      type: 'array',
      items: { $ref: '#/components/schemas/SessionSummaryDto' },
    });
  });
});
