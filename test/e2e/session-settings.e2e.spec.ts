import { FakeOpenAiServer } from '../support/fake-openai-server';
import { createTestApp, TestApp } from '../support/test-app';

describe('session settings, token budgets and the context shown', () => {
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

  const generate = (body: object) => t.http().post('/api/generate/').send(body);
  const settingsOf = (id: string) => t.http().get(`/api/sessions/${id}/settings`);
  const patch = (id: string, body: object) => t.http().patch(`/api/sessions/${id}/settings`).send(body);
  const newSession = async () => (await generate({ prompt: 'Hello' }).expect(200)).body.session_id as string;

  it('should show the defaults of a session that never changed its settings, and 404 for an unknown one', async () => {
    const id = await newSession();
    const res = await settingsOf(id).expect(200);
    expect(res.body).toEqual({
      system_prompt: null,
      model: null,
      temperature: null,
      memory: { strategy: 'window', max_history: 10, max_tokens: null },
      allowed_models: ['gpt-4o-mini', 'gpt-4o', 'llama-3'],
    });
    const unknown = await settingsOf('00000000-0000-4000-8000-000000000000').expect(404);
    expect(unknown.body.code).toBe('session_not_found');
    await patch('00000000-0000-4000-8000-000000000000', { temperature: 1 }).expect(404);
    await t.http().get('/api/sessions/00000000-0000-4000-8000-000000000000/context').expect(404);
  });

  it('should change only the fields sent, reset a field sent as null, and keep the settings', async () => {
    const id = await newSession();
    await patch(id, { system_prompt: 'You are terse.', temperature: 0.5, memory: { max_history: 3 } }).expect(200);
    const changed = await patch(id, { temperature: null, memory: { strategy: 'tokens', max_tokens: 500 } }).expect(200);
    expect(changed.body).toMatchObject({ system_prompt: 'You are terse.', temperature: null, memory: { strategy: 'tokens', max_history: 3, max_tokens: 500 } });
    expect((await settingsOf(id).expect(200)).body).toEqual(changed.body);
  });

  it('should keep every field of concurrent changes to different fields, none lost', async () => {
    // Each change sets one field no other change touches: a change applied to a stale read loses one.
    const changes = [
      { system_prompt: 'Be brief.' },
      { model: 'gpt-4o' },
      { temperature: 0.4 },
      { memory: { strategy: 'tokens' } },
      { memory: { max_history: 3 } },
      { memory: { max_tokens: 500 } },
    ];
    const all = { system_prompt: 'Be brief.', model: 'gpt-4o', temperature: 0.4, memory: { strategy: 'tokens', max_history: 3, max_tokens: 500 } };
    const ids = await Promise.all(Array.from({ length: 4 }, () => newSession()));
    const replies = await Promise.all(ids.flatMap((id) => changes.map((change) => patch(id, change).expect(200))));
    for (const id of ids) expect((await settingsOf(id).expect(200)).body).toMatchObject(all);
    // Each reply is the settings just after its own change: its field holds what it sent.
    replies.forEach((reply, i) => expect(reply.body).toMatchObject(changes[i % changes.length]));
  });

  it('should apply a change made while a turn waits for the model to the next turn', async () => {
    const id = await newSession();
    await generate({ prompt: 'Two', session_id: id }).expect(200);
    server.next({ kind: 'reply', text: 'Slow answer.', delayMs: 1500 });
    // then() sends it now; a supertest request waits until it is awaited.
    const slow = generate({ prompt: 'Three', session_id: id }).expect(200).then((res) => res);
    await server.waitForRequests(3, 5000);
    await patch(id, { system_prompt: 'Changed mid-turn.' }).expect(200);
    await slow;
    server.reset();
    await generate({ prompt: 'Four', session_id: id }).expect(200);
    expect(server.requests[0].body.messages[0]).toEqual({ role: 'system', content: 'Changed mid-turn.' });
  }, 20_000);

  it.each([
    [{ model: 'gpt-5-ultra' }, /gpt-4o-mini, gpt-4o, llama-3/],
    [{ temperature: 2.5 }, /temperature/],
    [{ temperature: '1' }, /temperature/],
    [{ memory: { strategy: 'everything' } }, /strategy/],
    [{ memory: { max_history: 0 } }, /max_history/],
    [{ memory: { max_tokens: 10 } }, /max_tokens/],
    [{ colour: 'blue' }, /colour/],
  ])('should refuse %j with a 400 that says why', async (body, detail) => {
    const id = await newSession();
    const res = await patch(id, body).expect(400);
    expect(res.body.code).toBe('validation_failed');
    expect(res.body.detail).toMatch(detail);
  });

  it('should send the system prompt first on every turn, and the chosen model and temperature to the server', async () => {
    const id = await newSession();
    await patch(id, { system_prompt: 'Answer in French.', model: 'llama-3', temperature: 0.3 }).expect(200);
    server.reset();
    await generate({ prompt: 'Two', session_id: id }).expect(200);
    await t.http().post('/api/generate/stream').send({ prompt: 'Three', session_id: id }).expect(200);
    expect(server.requests).toHaveLength(2);
    for (const request of server.requests) {
      expect(request.body.messages[0]).toEqual({ role: 'system', content: 'Answer in French.' });
      expect(request.body).toMatchObject({ model: 'llama-3', temperature: 0.3 });
    }
    expect(server.requests[1].body.messages.map((m) => m.content)).toEqual(['Answer in French.', 'Hello', 'Hello from the fake model.', 'Two', 'Hello from the fake model.', 'Three']);
  });

  it("should apply the session's max_history when a request omits it, and the request's when it gives one", async () => {
    const id = await newSession();
    for (const prompt of ['Two', 'Three']) await generate({ prompt, session_id: id }).expect(200);
    await patch(id, { memory: { max_history: 1 } }).expect(200);
    server.reset();
    await generate({ prompt: 'Four', session_id: id }).expect(200);
    await generate({ prompt: 'Five', session_id: id, max_history: 3 }).expect(200);
    expect(server.requests[0].body.messages.map((m) => m.content)).toEqual(['Three', 'Hello from the fake model.', 'Four']);
    expect(server.requests[1].body.messages).toHaveLength(7);
  });

  it('should keep the window within the token budget with long turns, and refuse with 413 a prompt over it alone', async () => {
    const id = await newSession();
    const long = 'word '.repeat(300);
    await generate({ prompt: `A ${long}`, session_id: id }).expect(200);
    await generate({ prompt: 'Short one', session_id: id }).expect(200);
    await patch(id, { memory: { strategy: 'tokens', max_tokens: 200 } }).expect(200);
    server.reset();
    await generate({ prompt: 'And now?', session_id: id }).expect(200);
    const sent = server.requests[0].body.messages.map((m) => m.content);
    expect(sent).toEqual(['Short one', 'Hello from the fake model.', 'And now?']);
    const refused = await generate({ prompt: long, session_id: id }).expect(413);
    expect(refused.body).toMatchObject({ code: 'context_too_long' });
    expect(refused.body.detail).toMatch(/max_tokens\) is 200/);
    expect(server.requests).toHaveLength(1);
  });

  it.each(['window', 'tokens'])('should show under %s exactly the context the model then receives', async (strategy) => {
    const id = await newSession();
    for (const prompt of ['Two', 'Three', 'Four']) await generate({ prompt, session_id: id }).expect(200);
    await patch(id, { system_prompt: 'Be kind.', memory: { strategy, max_history: 2, max_tokens: 4000 } }).expect(200);
    const context = await t.http().get(`/api/sessions/${id}/context/`).expect(200);
    expect(context.body).toMatchObject({ strategy, max_tokens: strategy === 'window' ? null : 4000, summary_covers_until: null });
    expect(context.body.tokens).toBeGreaterThan(10);
    server.reset();
    await generate({ prompt: 'Five', session_id: id }).expect(200);
    expect(server.requests[0].body.messages).toEqual([...context.body.messages, { role: 'user', content: 'Five' }]);
  });
});
