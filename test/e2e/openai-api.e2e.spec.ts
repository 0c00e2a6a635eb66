import type { AddressInfo } from 'node:net';
import OpenAI, { APIError, AuthenticationError, BadRequestError, NotFoundError } from 'openai';
import { FakeOpenAiServer } from '../support/fake-openai-server';
import { register } from '../support/auth-helpers';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * OpenAI's Conversations and Responses API under /v1, spoken by the official `openai` SDK (the
 * version pinned in the lockfile) to the app listening on a port, with the model behind it an
 * OpenAI-compatible fake that records what it was shown.
 */
describe('the /v1 API through the official openai SDK', () => {
  const server = new FakeOpenAiServer();
  let t: TestApp;
  let client: OpenAI;
  let baseURL: string;
  let apiKey: string;

  beforeAll(async () => {
    await server.start();
    t = await createTestApp({
      env: { LLM_PROVIDER: 'openai', OPENAI_BASE_URL: server.baseUrl, OPENAI_MODEL: 'llama-test', OPENAI_MODELS: 'llama-test,other-model', LLM_TIMEOUT_MS: '5000', LLM_MAX_RETRIES: '0' },
    });
    await t.app.listen(0, '127.0.0.1');
    baseURL = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}/v1`;
    // With accounts on, an API key of the test account, as a program would use it; with AUTH_MODE=off any key goes.
    apiKey = t.config.auth.mode === 'jwt' ? ((await t.http().post('/api/auth/keys').send({ name: 'sdk' }).expect(201)).body as { key: string }).key : 'any-key';
    client = new OpenAI({ apiKey, baseURL, maxRetries: 0, timeout: 10_000 });
  });
  beforeEach(() => server.reset());
  afterAll(async () => {
    await t.dispose();
    await server.stop();
  });

  const texts = (i: number) => server.requests[i].body.messages.map((m) => `${m.role}: ${m.content}`);

  it('should run three responses in a conversation, plain and streamed, showing the model its window', async () => {
    const conversation = await client.conversations.create({ metadata: { topic: 'capitals' } });
    expect(conversation).toMatchObject({ object: 'conversation', metadata: { topic: 'capitals' } });
    expect(conversation.id).toMatch(/^conv_[0-9a-f]{32}$/);

    server.next({ kind: 'reply', text: 'Paris.' }, { kind: 'stream', chunks: ['Ber', 'lin', '.'] }, { kind: 'reply', text: 'Rome.' });
    const first = await client.responses.create({ conversation: conversation.id, input: 'Capital of France?' });
    expect(first).toMatchObject({ object: 'response', status: 'completed', model: 'llama-test', output_text: 'Paris.', conversation: { id: conversation.id } });
    expect(first.id).toMatch(/^resp_/);
    expect(first.output).toEqual([
      { id: expect.stringMatching(/^msg_/), type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'Paris.', annotations: [], logprobs: [] }] },
    ]);

    const stream = await client.responses.create({ conversation: { id: conversation.id }, input: [{ role: 'user', content: 'And Germany?' }], stream: true });
    const events: OpenAI.Responses.ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    expect(events.map((e) => e.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_e, i) => i));
    const deltas = events.flatMap((e) => (e.type === 'response.output_text.delta' ? [e.delta] : []));
    expect(deltas).toEqual(['Ber', 'lin', '.']);
    const completed = events.at(-1) as OpenAI.Responses.ResponseCompletedEvent;
    expect(completed.response).toMatchObject({ status: 'completed', output_text: 'Berlin.' });
    expect(completed.response.id).toBe((events[0] as OpenAI.Responses.ResponseCreatedEvent).response.id);

    const third = await client.responses.create({ conversation: conversation.id, input: 'And Italy?', instructions: 'Answer in one word.', model: 'other-model', temperature: 0.5 });
    expect(third).toMatchObject({ output_text: 'Rome.', model: 'other-model', instructions: 'Answer in one word.', temperature: 0.5 });

    expect(texts(0)).toEqual(['user: Capital of France?']);
    expect(texts(1)).toEqual(['user: Capital of France?', 'assistant: Paris.', 'user: And Germany?']);
    expect(server.requests[1].body.stream).toBe(true);
    expect(texts(2)).toEqual([
      'system: Answer in one word.',
      'user: Capital of France?',
      'assistant: Paris.',
      'user: And Germany?',
      'assistant: Berlin.',
      'user: And Italy?',
    ]);
    expect(server.requests[2].body).toMatchObject({ model: 'other-model', temperature: 0.5 });

    // Stored: each response can be fetched again, and the conversation holds all six messages.
    await expect(client.responses.retrieve(first.id)).resolves.toMatchObject({ id: first.id, status: 'completed', output_text: 'Paris.' });
    await expect(client.responses.retrieve(completed.response.id)).resolves.toMatchObject({ output: [{ id: completed.response.output[0].id }] });
    const items = await client.conversations.items.list(conversation.id, { order: 'asc' });
    expect(items.data.map((item) => item.type === 'message' && item.content.map((c) => ('text' in c ? c.text : '')).join(''))).toEqual([
      'Capital of France?',
      'Paris.',
      'And Germany?',
      'Berlin.',
      'And Italy?',
      'Rome.',
    ]);
    // An answer is the same item in the conversation as in its response, streamed or not.
    const answers = items.data.filter((item) => item.type === 'message' && item.role === 'assistant').map((item) => item.id);
    expect(answers).toEqual([first.output[0].id, completed.response.output[0].id, third.output[0].id]);
    for (const event of events) if ('item_id' in event) expect(event.item_id).toBe(answers[1]);
    await expect(client.conversations.items.retrieve(answers[1]!, { conversation_id: conversation.id })).resolves.toMatchObject({ role: 'assistant', content: [{ text: 'Berlin.' }] });
  });

  it('should page the items by cursor, both ways', async () => {
    const words = ['one', 'two', 'three', 'four', 'five'];
    const conversation = await client.conversations.create({ items: words.map((w, i) => ({ type: 'message', role: i % 2 === 0 ? 'user' : 'assistant', content: w })) });
    const first = await client.conversations.items.list(conversation.id, { limit: 2, order: 'asc' });
    expect(first.data).toHaveLength(2);
    expect(first.has_more).toBe(true);
    const seen: string[] = [];
    for await (const item of client.conversations.items.list(conversation.id, { limit: 2, order: 'asc' })) {
      if (item.type === 'message') seen.push(item.role + ':' + item.content.map((c) => ('text' in c ? c.text : '')).join(''));
    }
    expect(seen).toEqual(['user:one', 'assistant:two', 'user:three', 'assistant:four', 'user:five']);
    const desc = await client.conversations.items.list(conversation.id, { order: 'desc', limit: 3 });
    const rest = await client.conversations.items.list(conversation.id, { order: 'desc', limit: 3, after: desc.data.at(-1)!.id });
    expect([...desc.data, ...rest.data].map((item) => item.id).reverse()).toEqual((await client.conversations.items.list(conversation.id, { order: 'asc' })).data.map((i) => i.id));
    expect(rest.has_more).toBe(false);
    // The SDK's page keeps only data, has_more and last_id: the list object itself, over HTTP.
    const raw = await t.http().get(`/v1/conversations/${conversation.id}/items?limit=3`).expect(200);
    expect(raw.body).toEqual({ object: 'list', data: desc.data, first_id: desc.data[0].id, last_id: desc.data[2].id, has_more: true });
  });

  it('should add, fetch and delete items, keep the window in step, and delete the conversation', async () => {
    const conversation = await client.conversations.create({ items: [{ type: 'message', role: 'user', content: 'hello' }] });
    const added = await client.conversations.items.create(conversation.id, {
      items: [{ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'hi there' }] } as never],
    });
    expect(added).toMatchObject({ object: 'list', has_more: false, data: [{ type: 'message', role: 'assistant', status: 'completed' }] });
    const answerId = added.data[0].id!;
    const item = await client.conversations.items.retrieve(answerId, { conversation_id: conversation.id });
    expect(item).toMatchObject({ id: answerId, type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'hi there' }] });

    // A turn now holds the session's window: the seeded turn and this one.
    server.next({ kind: 'reply', text: 'Fine.' }, { kind: 'reply', text: 'Yes.' });
    await client.responses.create({ conversation: conversation.id, input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'how are you' }] }] });
    expect(texts(0)).toEqual(['user: hello', 'assistant: hi there', 'user: how are you']);

    const after = await client.conversations.items.delete(answerId, { conversation_id: conversation.id });
    expect(after).toMatchObject({ id: conversation.id, object: 'conversation' });
    await expect(client.conversations.items.retrieve(answerId, { conversation_id: conversation.id })).rejects.toBeInstanceOf(NotFoundError);
    await expect(client.conversations.items.delete(answerId, { conversation_id: conversation.id })).rejects.toBeInstanceOf(NotFoundError);
    expect((await client.conversations.items.list(conversation.id, { order: 'asc' })).data).toHaveLength(3);
    const sessionId = uuidOf(conversation.id);
    const listed = await t.http().get('/api/session_names/').expect(200);
    expect(listed.body).toContainEqual(expect.objectContaining({ session_id: sessionId, message_count: 3, chat_name: 'hello' }));

    // The deleted answer leaves the window too: 'hello' has no answer left, so it is no whole turn.
    await client.responses.create({ conversation: conversation.id, input: 'still there?' });
    expect(texts(1)).toEqual(['user: how are you', 'assistant: Fine.', 'user: still there?']);

    await expect(client.conversations.update(conversation.id, { metadata: { a: 'b' } })).resolves.toMatchObject({ metadata: { a: 'b' } });
    await expect(client.conversations.retrieve(conversation.id)).resolves.toMatchObject({ metadata: { a: 'b' } });
    await expect(client.conversations.delete(conversation.id)).resolves.toEqual({ id: conversation.id, object: 'conversation.deleted', deleted: true });
    await expect(client.conversations.retrieve(conversation.id)).rejects.toBeInstanceOf(NotFoundError);
    await t.http().post('/api/get_history/').send({ session_id: sessionId }).expect(404);
  });

  it('should show a conversation made through /v1 in /api/session_names/ and the statistics', async () => {
    const before = (await t.http().get('/api/session_stats/').expect(200)).body.stats as { total_sessions: number; total_messages: number };
    server.next({ kind: 'reply', text: 'Hello back.' });
    const conversation = await client.conversations.create();
    await client.responses.create({ conversation: conversation.id, input: 'Hello from the SDK' });
    const listed = await t.http().get('/api/session_names/').expect(200);
    expect(listed.body).toContainEqual(expect.objectContaining({ session_id: uuidOf(conversation.id), chat_name: 'Hello from the SDK', message_count: 2 }));
    const after = (await t.http().get('/api/session_stats/').expect(200)).body.stats as { total_sessions: number; total_messages: number };
    expect(after.total_sessions).toBe(before.total_sessions + 1);
    expect(after.total_messages).toBe(before.total_messages + 2);
  });

  it("should continue through /v1 a session begun in the web client, also with the SDK's stream helper", async () => {
    server.next({ kind: 'reply', text: 'From the web.' }, { kind: 'stream', chunks: ['From ', 'the ', 'SDK.'] });
    const sessionId = ((await t.http().post('/api/generate/').send({ prompt: 'typed in the browser' }).expect(200)).body as { session_id: string }).session_id;
    const conversation = `conv_${sessionId.replace(/-/g, '')}`;
    await expect(client.conversations.retrieve(conversation)).resolves.toMatchObject({ id: conversation, metadata: {} });
    const final = await client.responses.stream({ conversation, input: 'and now from a program' }).finalResponse();
    expect(final).toMatchObject({ status: 'completed', output_text: 'From the SDK.' });
    expect(texts(1)).toEqual(['user: typed in the browser', 'assistant: From the web.', 'user: and now from a program']);
    const history = (await t.http().post('/api/get_history/').send({ session_id: sessionId }).expect(200)).body as { history: string[] };
    expect(history.history).toEqual(['Human: typed in the browser', 'AI: From the web.', 'Human: and now from a program', 'AI: From the SDK.']);
  });

  it('should store a response without a conversation unless store is false', async () => {
    server.next({ kind: 'reply', text: 'Kept.' }, { kind: 'reply', text: 'Not kept.' });
    const kept = await client.responses.create({ input: 'remember me' });
    expect(kept.conversation?.id).toMatch(/^conv_/);
    const unstored = await client.responses.create({ input: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'forget me' }], store: false });
    expect(unstored).toMatchObject({ output_text: 'Not kept.', store: false, conversation: null });
    expect(texts(1)).toEqual(['system: Be brief.', 'user: forget me']);
    await expect(client.responses.retrieve(kept.id)).resolves.toMatchObject({ output_text: 'Kept.' });
    await expect(client.responses.retrieve(unstored.id)).rejects.toBeInstanceOf(NotFoundError);
    server.next({ kind: 'stream', chunks: ['Stre', 'amed.'] });
    const streamed = await client.responses.stream({ input: 'stream and forget me', store: false }).finalResponse();
    expect(streamed).toMatchObject({ output_text: 'Streamed.', store: false, conversation: null });
    await expect(client.responses.retrieve(streamed.id)).rejects.toBeInstanceOf(NotFoundError);
    const names = ((await t.http().get('/api/session_names/').expect(200)).body as { chat_name: string }[]).map((s) => s.chat_name);
    expect(names).toContain('remember me');
    expect(names).not.toContain('forget me');
    expect(names).not.toContain('stream and forget me');
  });

  it("should report the model server's token usage, plain and streamed, stored or not, else the estimate", async () => {
    const usage = (input: number, output: number): OpenAI.Responses.ResponseUsage => ({
      input_tokens: input,
      input_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
      output_tokens: output,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: input + output,
    });
    server.next(
      { kind: 'reply', text: 'Counted.', usage: { prompt_tokens: 12, completion_tokens: 3 } },
      { kind: 'stream', chunks: ['Stream', 'ed.'], usage: { prompt_tokens: 25, completion_tokens: 4 } },
      { kind: 'reply', text: 'Unstored.', usage: { prompt_tokens: 9, completion_tokens: 2 } },
      { kind: 'reply', text: 'Estimated.', usage: null },
    );
    const plain = await client.responses.create({ input: 'count me' });
    expect(plain.usage).toEqual(usage(12, 3));

    const stream = await client.responses.create({ conversation: plain.conversation!.id, input: 'and me', stream: true });
    const events: OpenAI.Responses.ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    const created = events[0] as OpenAI.Responses.ResponseCreatedEvent;
    const completed = events.at(-1) as OpenAI.Responses.ResponseCompletedEvent;
    expect(created.response.usage).toBeNull();
    expect(completed.response.usage).toEqual(usage(25, 4));

    await expect(client.responses.create({ input: 'forget me', store: false })).resolves.toMatchObject({ usage: usage(9, 2) });
    // No usage reported: 3 (reply priming) + 4 (the message) + ceil('estimate me' / 4) in, ceil('Estimated.' / 4) out.
    await expect(client.responses.create({ input: 'estimate me' })).resolves.toMatchObject({ usage: usage(3 + 4 + 3, 3) });
    // Usage is not kept per message: a stored response read back has none.
    await expect(client.responses.retrieve(plain.id)).resolves.toMatchObject({ output_text: 'Counted.', usage: null });
  });

  it("should make system items the conversation's system prompt, shown to the model before the window", async () => {
    const conversation = await client.conversations.create({
      items: [
        { type: 'message', role: 'system', content: 'You are terse.' },
        { type: 'message', role: 'user', content: 'hi' },
        { type: 'message', role: 'assistant', content: 'hello' },
      ],
    });
    server.next({ kind: 'reply', text: 'Ok.' });
    await client.responses.create({ conversation: conversation.id, input: 'again' });
    expect(texts(0)).toEqual(['system: You are terse.', 'user: hi', 'assistant: hello', 'user: again']);
    expect((await client.conversations.items.list(conversation.id)).data).toHaveLength(4);
  });

  it('should list the allowed models', async () => {
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toEqual(['llama-test', 'other-model']);
    expect(models.data[0]).toMatchObject({ object: 'model' });
  });

  it("should surface errors as the SDK's typed errors, in OpenAI's error shape", async () => {
    await expect(client.conversations.retrieve('conv_00000000000000000000000000000000')).rejects.toBeInstanceOf(NotFoundError);
    await expect(client.conversations.retrieve('not-an-id')).rejects.toBeInstanceOf(NotFoundError);
    const conversation = await client.conversations.create();
    const badModel = await client.responses.create({ conversation: conversation.id, input: 'hi', model: 'gpt-nonexistent' }).catch((e: unknown) => e);
    expect(badModel).toBeInstanceOf(BadRequestError);
    expect((badModel as BadRequestError).error).toEqual({ message: expect.stringContaining('gpt-nonexistent'), type: 'invalid_request_error', param: 'model', code: 'validation_failed' });
    await expect(client.responses.create({ input: [{ type: 'function_call_output', call_id: 'x', output: 'y' }] } as never)).rejects.toBeInstanceOf(BadRequestError);
    await expect(client.conversations.items.list(conversation.id, { limit: 0 })).rejects.toBeInstanceOf(BadRequestError);
    await expect(client.responses.retrieve('resp_999999999')).rejects.toBeInstanceOf(NotFoundError);
    // Refused before it starts, a streamed request gets the JSON error too.
    await expect(client.responses.create({ conversation: 'conv_00000000000000000000000000000000', input: 'hi', stream: true })).rejects.toBeInstanceOf(NotFoundError);
    // What is not offered (Chat Completions) is a typed 404 as well, not an HTML page.
    await expect(client.chat.completions.create({ model: 'llama-test', messages: [{ role: 'user', content: 'hi' }] })).rejects.toBeInstanceOf(NotFoundError);
    expect(server.requests).toHaveLength(0);
    // The /api contract keeps its own shape.
    const api = await t.http().get('/api/sessions/not-a-uuid/settings');
    expect(api.body).toMatchObject({ status: api.status, code: expect.any(String), detail: expect.any(String) });
  });

  it('should turn a model failure mid-stream into response.failed, then an error event the SDK throws', async () => {
    server.next({ kind: 'stream', chunks: ['Half', ' an', ' answer'], failAfter: 2 });
    const stream = await client.responses.create({ input: 'break please', stream: true });
    const types: string[] = [];
    let failed: OpenAI.Responses.ResponseFailedEvent | undefined;
    const read = async () => {
      for await (const event of stream) {
        types.push(event.type);
        if (event.type === 'response.failed') failed = event;
      }
    };
    await expect(read()).rejects.toBeInstanceOf(APIError);
    expect(types.filter((type) => type === 'response.output_text.delta')).toHaveLength(2);
    expect(types.at(-1)).toBe('response.failed');
    expect(failed!.response).toMatchObject({ status: 'failed', output_text: 'Half an', error: { code: 'llm_bad_response', message: expect.any(String) } });
  });

  if (process.env.TEST_AUTH_MODE === 'jwt') {
    it("should keep one account's conversations and responses from another account's key", async () => {
      server.next({ kind: 'reply', text: 'Secret answer.' });
      const mine = await client.conversations.create({ items: [{ type: 'message', role: 'user', content: 'private' }] });
      const response = await client.responses.create({ conversation: mine.id, input: 'more' });
      const bob = await register(t, 'bob-openai');
      const other = new OpenAI({ apiKey: bob.token, baseURL, maxRetries: 0 });
      await expect(other.conversations.retrieve(mine.id)).rejects.toBeInstanceOf(NotFoundError);
      await expect(other.conversations.items.list(mine.id)).rejects.toBeInstanceOf(NotFoundError);
      await expect(other.responses.retrieve(response.id)).rejects.toBeInstanceOf(NotFoundError);
      await expect(other.responses.create({ conversation: mine.id, input: 'let me in' })).rejects.toBeInstanceOf(NotFoundError);
      await expect(other.conversations.delete(mine.id)).rejects.toBeInstanceOf(NotFoundError);
      await expect(client.conversations.items.list(mine.id)).resolves.toMatchObject({ data: expect.any(Array) });
      expect(server.requests).toHaveLength(1);
    });

    it('should refuse a wrong API key with AuthenticationError', async () => {
      const stranger = new OpenAI({ apiKey: 'csk_not-a-real-key', baseURL, maxRetries: 0 });
      const error = await stranger.conversations.create().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuthenticationError);
      expect((error as AuthenticationError).error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_api_key' });
    });
  }
});

function uuidOf(conversationId: string): string {
  const hex = conversationId.slice('conv_'.length);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
