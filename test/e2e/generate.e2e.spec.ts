import { parseSse } from '../support/sse';
import { historyOf, say } from '../support/http-helpers';
import { createTestApp, TestApp } from '../support/test-app';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('POST /api/generate', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { MAX_PROMPT_CHARS: '100' } });
  });
  afterAll(() => t.dispose());

  it('should create a session with a new v4 id and answer with exactly the contract fields', async () => {
    const before = Date.now();
    const res = await t.http().post('/api/generate/').send({ prompt: '  Hello, who are you?  ' }).expect(200);
    expect(Object.keys(res.body).sort()).toEqual(['chat_name', 'finish_reason', 'message_type', 'response', 'session_id', 'timestamp']);
    expect(res.body.finish_reason).toBe('stop');
    expect(res.body.session_id).toMatch(UUID_V4);
    expect(res.body.chat_name).toBe('Hello, who are you?');
    expect(res.body.message_type).toBe('conversation');
    expect(typeof res.body.timestamp).toBe('number');
    expect(res.body.timestamp).toBeGreaterThanOrEqual(before);
    expect(res.body.response).toContain('offline model');
    expect(res.body.response).toContain('Hello, who are you?');
  });

  it('should cut the offline reply at MAX_REPLY_CHARS code points and say finish_reason length, plain and streamed', async () => {
    const capped = await createTestApp({ env: { MAX_REPLY_CHARS: '25' } });
    try {
      const plain = await capped.http().post('/api/generate/').send({ prompt: 'a long enough question' }).expect(200);
      expect(plain.body.finish_reason).toBe('length');
      expect(Array.from(plain.body.response)).toHaveLength(25);
      const streamed = await capped.http().post('/api/generate/stream').send({ prompt: 'another question' }).buffer(true).expect(200);
      const done = parseSse(streamed.text).at(-1)!;
      expect(done).toMatchObject({ event: 'done', data: { finish_reason: 'length' } });
      expect(Array.from(done.data.response)).toHaveLength(25);
      expect((await capped.http().post('/api/get_history/').send({ session_id: done.data.session_id }).expect(200)).body.history[1]).toBe(`AI: ${done.data.response}`);
    } finally {
      await capped.dispose();
    }
  });

  it('should answer without the trailing slash as well', async () => {
    const res = await t.http().post('/api/generate').send({ prompt: 'no slash' }).expect(200);
    expect(res.body.chat_name).toBe('no slash');
  });

  it('should continue a given session and create one under an unknown id', async () => {
    const id = '3f0c8a4e-5b7d-4c2a-9e1f-0a1b2c3d4e5f';
    const first = await t.http().post('/api/generate/').send({ prompt: 'first', session_id: id }).expect(200);
    expect(first.body.session_id).toBe(id);
    const second = await t.http().post('/api/generate/').send({ prompt: 'second', session_id: id }).expect(200);
    expect(second.body.chat_name).toBe('first');
    expect(second.body.response).toContain('I can see 1 earlier turn');
    const history = await t.http().post('/api/get_history/').send({ session_id: id }).expect(200);
    expect(history.body.history).toEqual(['Human: first', `AI: ${first.body.response}`, 'Human: second', `AI: ${second.body.response}`]);
  });

  it('should treat session ids case-insensitively', async () => {
    const id = 'ABCDEF12-3456-4789-8ABC-DEF012345678';
    await t.http().post('/api/generate/').send({ prompt: 'upper', session_id: id }).expect(200);
    const res = await t.http().post('/api/generate/').send({ prompt: 'lower', session_id: id.toLowerCase() }).expect(200);
    expect(res.body.session_id).toBe(id.toLowerCase());
    expect(res.body.response).toContain('1 earlier turn');
  });

  it('should name a chat by its first 40 code points without cutting an emoji', async () => {
    const prompt = `${'😀'.repeat(39)}🎉🎉 and more`;
    const res = await t.http().post('/api/generate/').send({ prompt }).expect(200);
    expect(Array.from(res.body.chat_name)).toHaveLength(40);
    expect(res.body.chat_name).toBe(`${'😀'.repeat(39)}🎉`);
  });

  it('should show the model only the last max_history turns', async () => {
    const id = '11111111-2222-4333-8444-555555555555';
    for (let i = 0; i < 5; i++) await t.http().post('/api/generate/').send({ prompt: `turn ${i}`, session_id: id }).expect(200);
    const res = await t.http().post('/api/generate/').send({ prompt: 'now', session_id: id, max_history: 2 }).expect(200);
    expect(res.body.response).toContain('I can see 2 earlier turns');
    const all = await t.http().post('/api/generate/').send({ prompt: 'again', session_id: id }).expect(200);
    expect(all.body.response).toContain('I can see 6 earlier turns');
  });

  it('should put the first fenced code block of the reply in `code`', async () => {
    const res = await t.http().post('/api/generate/').send({ prompt: 'Fix this:\n```js\nconst x = 1;\n```' }).expect(200);
    expect(res.body.code).toBe('const x = 1;');
  });

  it('should refuse a blank prompt with 400 and store nothing', async () => {
    const stored = async () => {
      const stats = (await t.http().get('/api/session_stats/').expect(200)).body.stats;
      return { sessions: stats.total_sessions, messages: stats.total_messages };
    };
    const before = await stored();
    const res = await t.http().post('/api/generate/').send({ prompt: '   \n ' }).expect(400);
    expect(res.body).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(res.body.detail).toMatch(/prompt/);
    const { session_id } = await say(t, 'a session to continue');
    await t.http().post('/api/generate/').send({ prompt: '\t', session_id }).expect(400);
    expect((await historyOf(t, session_id)).messages).toHaveLength(2);
    expect(await stored()).toEqual({ sessions: before.sessions + 1, messages: before.messages + 2 });
  });

  it('should refuse a prompt over MAX_PROMPT_CHARS with 413, counting code points', async () => {
    await t.http().post('/api/generate/').send({ prompt: '😀'.repeat(100) }).expect(200);
    const res = await t.http().post('/api/generate/').send({ prompt: 'x'.repeat(101) }).expect(413);
    expect(res.body).toMatchObject({ status: 413, code: 'prompt_too_long' });
    expect(res.body.detail).toContain('100');
  });

  it.each([
    [{ prompt: 1 }, 'prompt'],
    [{}, 'prompt'],
    [{ prompt: 'x', session_id: 'not-a-uuid' }, 'session_id'],
    [{ prompt: 'x', max_history: 0 }, 'max_history'],
    [{ prompt: 'x', max_history: 101 }, 'max_history'],
    [{ prompt: 'x', max_history: '5' }, 'max_history'],
    [{ prompt: 'x', max_history: 2.5 }, 'max_history'],
    [{ prompt: 'x', extra: true }, 'extra'],
  ])('should refuse %j with 400 naming the field', async (body, field) => {
    const res = await t.http().post('/api/generate/').send(body).expect(400);
    expect(res.body).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(res.body.detail).toContain(field);
  });

  it('should refuse malformed JSON with 400 and a non-JSON body with 415', async () => {
    const bad = await t.http().post('/api/generate/').set('Content-Type', 'application/json').send('{"prompt": ').expect(400);
    expect(bad.body).toMatchObject({ status: 400, code: 'malformed_json' });
    const text = await t.http().post('/api/generate/').set('Content-Type', 'text/plain').send('hello').expect(415);
    expect(text.body).toMatchObject({ status: 415, code: 'unsupported_media_type' });
    expect(text.body.detail).toMatch(/JSON/);
  });
});
