import { randomUUID } from 'node:crypto';
import { FakeOpenAiServer } from '../support/fake-openai-server';
import { parseSse, sseText } from '../support/sse';
import { createTestApp, TestApp } from '../support/test-app';

describe('session templates', () => {
  const server = new FakeOpenAiServer();
  let t: TestApp;

  beforeAll(async () => {
    await server.start();
    t = await createTestApp({
      env: { LLM_PROVIDER: 'openai', OPENAI_BASE_URL: server.baseUrl, OPENAI_MODEL: 'gpt-4o-mini', OPENAI_MODELS: 'gpt-4o,llama-3', LLM_MAX_RETRIES: '0' },
    });
  });
  beforeEach(() => server.reset());
  afterAll(async () => {
    await t.dispose();
    await server.stop();
  });

  const create = (body: object) => t.http().post('/api/templates').send(body);
  const valid = { name: 'French tutor', category: 'learning', system_prompt: 'Answer in French.', starter_prompts: ['Correct my sentence', 'Teach me a word'] };

  it('should list the built-in templates, and serve each by its id', async () => {
    const list = await t.http().get('/api/templates/').expect(200);
    const builtins = list.body.filter((x: { builtin: boolean }) => x.builtin);
    expect(builtins.map((x: { name: string }) => x.name)).toEqual(expect.arrayContaining(['General assistant', 'Code reviewer', 'Summarizer', 'Language tutor']));
    for (const template of builtins) {
      expect(template).toEqual({
        id: expect.any(String),
        name: expect.any(String),
        category: expect.any(String),
        system_prompt: expect.any(String),
        starter_prompts: expect.any(Array),
        model: null,
        temperature: expect.any(Number),
        memory: null,
        builtin: true,
      });
      expect((await t.http().get(`/api/templates/${template.id}`).expect(200)).body).toEqual(template);
    }
  });

  it('should create, read, list, change and delete a template of ones own', async () => {
    const created = await create({ ...valid, model: 'llama-3', temperature: 0.4, memory: { strategy: 'tokens', max_tokens: 900 } }).expect(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      ...valid,
      model: 'llama-3',
      temperature: 0.4,
      memory: { strategy: 'tokens', max_history: null, max_tokens: 900 },
      builtin: false,
    });
    const id = created.body.id as string;
    expect((await t.http().get(`/api/templates/${id}/`).expect(200)).body).toEqual(created.body);
    expect((await t.http().get('/api/templates').expect(200)).body).toContainEqual(created.body);
    const changed = await t.http().patch(`/api/templates/${id}`).send({ name: 'Tutor', temperature: null, memory: { max_history: 3 } }).expect(200);
    expect(changed.body).toEqual({ ...created.body, name: 'Tutor', temperature: null, memory: { strategy: 'tokens', max_history: 3, max_tokens: 900 } });
    expect((await t.http().get(`/api/templates/${id}`).expect(200)).body).toEqual(changed.body);
    await t.http().delete(`/api/templates/${id}`).expect(204);
    const gone = await t.http().get(`/api/templates/${id}`).expect(404);
    expect(gone.body).toMatchObject({ code: 'template_not_found', detail: expect.stringContaining(id) });
    await t.http().delete(`/api/templates/${id}`).expect(404);
    await t.http().patch(`/api/templates/${id}`).send({ name: 'x' }).expect(404);
  });

  it('should default category to "general" and starter_prompts to none', async () => {
    const created = await create({ name: 'Plain', system_prompt: 'Be plain.' }).expect(201);
    expect(created.body).toMatchObject({ category: 'general', starter_prompts: [], model: null, temperature: null, memory: null });
  });

  it.each([
    [{ ...valid, model: 'gpt-5-ultra' }, /gpt-4o-mini, gpt-4o, llama-3/],
    [{ ...valid, temperature: 2.5 }, /temperature/],
    [{ ...valid, temperature: '1' }, /temperature/],
    [{ ...valid, memory: { strategy: 'everything' } }, /strategy/],
    [{ ...valid, memory: { max_history: 0 } }, /max_history/],
    [{ ...valid, memory: { max_tokens: 10 } }, /max_tokens/],
    [{ ...valid, name: '   ' }, /name/],
    [{ ...valid, name: 'x'.repeat(101) }, /name/],
    [{ ...valid, system_prompt: ' ' }, /system_prompt/],
    [{ ...valid, system_prompt: undefined }, /system_prompt/],
    [{ ...valid, starter_prompts: 'hi' }, /starter_prompts/],
    [{ ...valid, starter_prompts: [1] }, /starter_prompts/],
    [{ ...valid, starter_prompts: Array(11).fill('hi') }, /starter_prompts/],
    [{ ...valid, colour: 'blue' }, /colour/],
  ])('should refuse to create %j with a 400 that says why', async (body, detail) => {
    const res = await create(body).expect(400);
    expect(res.body.code).toBe('validation_failed');
    expect(res.body.detail).toMatch(detail);
  });

  it('should refuse a change that is not valid, and leave the template as it was', async () => {
    const { body: template } = await create(valid).expect(201);
    for (const change of [{ model: 'nope' }, { name: null }, { system_prompt: null }, { temperature: -1 }]) {
      expect((await t.http().patch(`/api/templates/${template.id}`).send(change).expect(400)).body.code).toBe('validation_failed');
    }
    expect((await t.http().get(`/api/templates/${template.id}`).expect(200)).body).toEqual(template);
  });

  it('should refuse to change or delete a built-in template with a 409 that says why', async () => {
    const [builtin] = (await t.http().get('/api/templates').expect(200)).body;
    const patched = await t.http().patch(`/api/templates/${builtin.id}`).send({ name: 'Mine now' }).expect(409);
    expect(patched.body).toEqual({ status: 409, code: 'template_read_only', detail: expect.stringMatching(/built-in/) });
    await t.http().delete(`/api/templates/${builtin.id}`).expect(409);
    expect((await t.http().get(`/api/templates/${builtin.id}`).expect(200)).body).toEqual(builtin);
  });

  it('should answer 404 for an unknown id and 400 for a malformed one', async () => {
    expect((await t.http().get(`/api/templates/${randomUUID()}`).expect(404)).body.code).toBe('template_not_found');
    expect((await t.http().get('/api/templates/not%20an%20id!').expect(400)).body.code).toBe('validation_failed');
  });

  describe('starting a session from a template', () => {
    const systemOf = (i: number) => server.requests[i].body.messages[0];

    it('should send the template system prompt first, with its model and temperature, on the first turn and every later one', async () => {
      const { body: template } = await create({ ...valid, model: 'llama-3', temperature: 0.3, memory: { max_history: 1 } }).expect(201);
      const first = await t.http().post('/api/generate/').send({ prompt: 'One', template_id: template.id }).expect(200);
      const id = first.body.session_id as string;
      await t.http().post('/api/generate').send({ prompt: 'Two', session_id: id }).expect(200);
      await t.http().post('/api/generate').send({ prompt: 'Three', session_id: id }).expect(200);
      expect(server.requests).toHaveLength(3);
      for (let i = 0; i < 3; i++) {
        expect(systemOf(i)).toEqual({ role: 'system', content: 'Answer in French.' });
        expect(server.requests[i].body).toMatchObject({ model: 'llama-3', temperature: 0.3 });
      }
      // memory.max_history 1: the third turn sees only the second.
      expect(server.requests[2].body.messages.map((m) => m.content)).toEqual(['Answer in French.', 'Two', 'Hello from the fake model.', 'Three']);
      const settings = await t.http().get(`/api/sessions/${id}/settings`).expect(200);
      expect(settings.body).toMatchObject({ system_prompt: 'Answer in French.', model: 'llama-3', temperature: 0.3, memory: { strategy: 'window', max_history: 1, max_tokens: null } });
    });

    it('should keep the session settings when the template later changes or goes', async () => {
      const { body: template } = await create(valid).expect(201);
      const id = (await t.http().post('/api/generate').send({ prompt: 'One', template_id: template.id }).expect(200)).body.session_id;
      await t.http().patch(`/api/templates/${template.id}`).send({ system_prompt: 'Answer in German.' }).expect(200);
      await t.http().delete(`/api/templates/${template.id}`).expect(204);
      server.reset();
      await t.http().post('/api/generate').send({ prompt: 'Two', session_id: id }).expect(200);
      expect(systemOf(0)).toEqual({ role: 'system', content: 'Answer in French.' });
    });

    it('should start a streamed session from a built-in template, with a new session id chosen by the client', async () => {
      const builtin = (await t.http().get('/api/templates').expect(200)).body.find((x: { name: string }) => x.name === 'Code reviewer');
      const id = randomUUID();
      server.always({ kind: 'stream', chunks: ['Looks ', 'fine.'] });
      const res = await t.http().post('/api/generate/stream').send({ prompt: 'Review this', session_id: id, template_id: builtin.id }).buffer(true).parse(sseText).expect(200);
      expect(parseSse(res.body as string).at(-1)).toMatchObject({ event: 'done', data: { session_id: id, response: 'Looks fine.' } });
      const next = await t.http().post('/api/generate/stream').send({ prompt: 'And this', session_id: id }).buffer(true).parse(sseText).expect(200);
      expect(parseSse(next.body as string).at(-1)).toMatchObject({ event: 'done' });
      expect(server.requests).toHaveLength(2);
      for (let i = 0; i < 2; i++) {
        expect(systemOf(i)).toEqual({ role: 'system', content: builtin.system_prompt });
        expect(server.requests[i].body.temperature).toBe(builtin.temperature);
      }
    });

    it('should refuse a template for a session that already exists, with a 400, and ask the model nothing', async () => {
      const { body: template } = await create(valid).expect(201);
      const id = (await t.http().post('/api/generate').send({ prompt: 'One' }).expect(200)).body.session_id;
      server.reset();
      for (const path of ['/api/generate', '/api/generate/stream']) {
        const res = await t.http().post(path).send({ prompt: 'Two', session_id: id, template_id: template.id }).expect(400);
        expect(res.body).toMatchObject({ code: 'validation_failed', detail: expect.stringMatching(/template_id/) });
      }
      expect(server.requests).toHaveLength(0);
      const history = await t.http().post('/api/get_history').send({ session_id: id }).expect(200);
      expect(history.body.messages).toHaveLength(2);
    });

    it('should answer 404 for an unknown template and create no session', async () => {
      const id = randomUUID();
      for (const path of ['/api/generate', '/api/generate/stream']) {
        const res = await t.http().post(path).send({ prompt: 'One', session_id: id, template_id: randomUUID() }).expect(404);
        expect(res.body.code).toBe('template_not_found');
      }
      await t.http().post('/api/get_history').send({ session_id: id }).expect(404);
      expect(server.requests).toHaveLength(0);
    });
  });

  it('should refuse to start a session from a template whose model OPENAI_MODELS no longer lists, with a 400 that says so', async () => {
    // Accounts off and SQLite, whatever the project: the template must outlive a restart with another model list.
    const env = { AUTH_MODE: 'off', LLM_PROVIDER: 'openai', OPENAI_BASE_URL: server.baseUrl, OPENAI_MODEL: 'gpt-4o-mini', LLM_MAX_RETRIES: '0' };
    const before = await createTestApp({ store: 'sqlite', env: { ...env, OPENAI_MODELS: 'gpt-4o,llama-3' } });
    const id = (await before.http().post('/api/templates').send({ ...valid, model: 'llama-3' }).expect(201)).body.id as string;
    await before.close();
    const after = await createTestApp({ store: 'sqlite', dir: before.dir, env: { ...env, OPENAI_MODELS: 'gpt-4o' } });
    try {
      for (const route of ['/api/generate', '/api/generate/stream']) {
        const refused = await after.http().post(route).send({ prompt: 'Bonjour', template_id: id }).expect(400);
        expect(refused.body.detail).toBe(
          'Template "French tutor" uses the model "llama-3", which this service no longer allows (allowed: gpt-4o-mini, gpt-4o). Change the template\'s model.',
        );
      }
      expect((await after.http().get('/api/session_names').expect(200)).body).toEqual([]);
      expect(server.requests).toHaveLength(0);
    } finally {
      await after.dispose();
    }
  });
});
