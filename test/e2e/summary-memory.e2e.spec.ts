import { FakeOpenAiServer, RecordedRequest } from '../support/fake-openai-server';
import { createTestApp, TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

const isFold = (r: RecordedRequest) => r.body.messages[0]?.content.startsWith('You keep the running summary');

async function contextOf(t: TestApp, id: string) {
  return (await t.http().get(`/api/sessions/${id}/context`).expect(200)).body as {
    messages: { role: string; content: string }[];
    summary_covers_until: number | null;
    tokens: number;
  };
}

/** The id of the AI message of the session's `n`th turn (ids are shared by all sessions). */
async function aiMessageId(t: TestApp, id: string, n: number): Promise<number> {
  const history = await t.http().post('/api/get_history/').send({ session_id: id }).expect(200);
  return (history.body.messages as { id: number; sender: string }[]).filter((m) => m.sender === 'AI')[n - 1].id;
}

/** Waits until the summary covers the session's first `turns` turns (the fold runs after the reply). */
async function summaryCovering(t: TestApp, id: string, turns: number) {
  const until = await aiMessageId(t, id, turns);
  await waitFor(async () => (await contextOf(t, id)).summary_covers_until === until, `a summary up to message ${until}`);
  return contextOf(t, id);
}

describe('the summary strategy with the offline model', () => {
  let t: TestApp;
  // A restart reopens the same SQLite file (a scratch PostgreSQL database would not outlive the first app).
  beforeAll(async () => {
    t = await createTestApp({ store: 'sqlite' });
  });
  afterAll(() => t.dispose());

  const generate = (body: object) => t.http().post('/api/generate/').send(body).expect(200);

  it('should carry a fact from turn 1 after the window moved past it, survive a restart, and reset on clear', async () => {
    const id = (await generate({ prompt: 'My name is Zoltan. I keep bees in Szeged.' })).body.session_id as string;
    await t.http().patch(`/api/sessions/${id}/settings`).send({ memory: { strategy: 'summary', max_history: 2 } }).expect(200);
    for (const prompt of ['Second question.', 'Third question.', 'Fourth question.']) await generate({ prompt, session_id: id });
    const context = await summaryCovering(t, id, 2);
    expect(context.messages[0].role).toBe('system');
    expect(context.messages[0].content).toMatch(/^Summary of the earlier conversation:\n- Human: My name is Zoltan\. AI: This is the offline model/);
    expect(context.messages[0].content).toContain('Second question.');
    expect(context.messages.slice(1).map((m) => m.content)).toEqual([
      'Third question.',
      expect.any(String),
      'Fourth question.',
      expect.any(String),
    ]);

    await t.close();
    t = await createTestApp({ dir: t.dir, store: 'sqlite' });
    expect(await contextOf(t, id)).toEqual(context);

    await t.http().post('/api/clear_history/').send({ session_id: id }).expect(200);
    const cleared = await contextOf(t, id);
    expect(cleared).toMatchObject({ messages: [], summary_covers_until: null });
  });
});

describe('the summary strategy with an OpenAI-compatible model server', () => {
  const server = new FakeOpenAiServer();
  let t: TestApp;

  beforeAll(async () => {
    await server.start();
    t = await createTestApp({ env: { LLM_PROVIDER: 'openai', OPENAI_BASE_URL: server.baseUrl, LLM_MAX_RETRIES: '0', LLM_TIMEOUT_MS: '2000' } });
  });
  beforeEach(() => server.reset());
  afterAll(async () => {
    await t.dispose();
    await server.stop();
  });

  const generate = (body: object) => t.http().post('/api/generate/').send(body).expect(200);

  it('should fold only the newly-left turn on each of 30 turns, so each summarization request stays the same size', async () => {
    const id = (await generate({ prompt: 'Turn 01: the launch code is 7741.' })).body.session_id as string;
    await t.http().patch(`/api/sessions/${id}/settings`).send({ system_prompt: 'Be brief.', memory: { strategy: 'summary', max_history: 3 } }).expect(200);
    for (let n = 2; n <= 30; n++) await generate({ prompt: `Turn ${String(n).padStart(2, '0')}: nothing new.`, session_id: id });
    await waitFor(() => server.requests.filter(isFold).length === 27, '27 folds');
    const folds = server.requests.filter(isFold);
    expect(folds[0].body.messages[1].content).toContain('the launch code is 7741');
    const sizes = folds.map((f) => JSON.stringify(f.body.messages).length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThan(40);
    for (const chat of server.requests.filter((r) => !isFold(r)).slice(4)) {
      expect(chat.body.messages[0]).toEqual({ role: 'system', content: 'Be brief.' });
      expect(chat.body.messages[1]).toEqual({ role: 'system', content: 'Summary of the earlier conversation:\nHello from the fake model.' });
      expect(chat.body.messages).toHaveLength(2 + 2 * 3 + 1);
    }
  });

  it('should show in /context exactly what the model then receives, summary included', async () => {
    const id = (await generate({ prompt: 'One' })).body.session_id as string;
    await t.http().patch(`/api/sessions/${id}/settings`).send({ memory: { strategy: 'summary', max_history: 1 } }).expect(200);
    for (const prompt of ['Two', 'Three']) await generate({ prompt, session_id: id });
    const context = await summaryCovering(t, id, 2);
    server.reset();
    await generate({ prompt: 'Four', session_id: id });
    expect(server.requests[0].body.messages).toEqual([...context.messages, { role: 'user', content: 'Four' }]);
    await summaryCovering(t, id, 3); // its fold done, so the next test's server sees none of it
  });

  it('should answer the turn when summarizing fails, and fold the turns in on a later turn', async () => {
    const id = (await generate({ prompt: 'One' })).body.session_id as string;
    await t.http().patch(`/api/sessions/${id}/settings`).send({ memory: { strategy: 'summary', max_history: 1 } }).expect(200);
    await generate({ prompt: 'Two', session_id: id });
    const first = await summaryCovering(t, id, 1);
    server.next({ kind: 'reply', text: 'Answer three.' }, { kind: 'status', status: 500 });
    expect((await generate({ prompt: 'Three', session_id: id })).body.response).toBe('Answer three.');
    await waitFor(() => server.requests.filter(isFold).length === 2, 'the failed fold');
    expect((await contextOf(t, id)).summary_covers_until).toBe(first.summary_covers_until);
    server.next({ kind: 'reply', text: 'Answer four.' }, { kind: 'reply', text: 'Two and three were asked.' });
    await generate({ prompt: 'Four', session_id: id });
    const context = await summaryCovering(t, id, 3);
    expect(context.messages[0].content).toContain('Two and three were asked.');
    expect(server.requests.filter(isFold)[2].body.messages[1].content).toMatch(/Human: Two[\s\S]*Human: Three/);
  });
});
