import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { dropRedisKeys, externalServices, scratchPostgres, ScratchDatabase } from '../support/databases';
import { FakeOpenAiServer } from '../support/fake-openai-server';
import { ServerProcess, startServer } from '../support/server-process';
import { waitFor } from '../support/wait-for';

const { postgres, redis } = externalServices();
if (!postgres || !redis) console.warn('TEST_POSTGRES_URL and TEST_REDIS_URL are not both set: the two-instance tests are skipped.');
const describeBoth = postgres && redis ? describe : describe.skip;

const LOCK_TTL_MS = 1500;

describeBoth('two instances on one PostgreSQL and one Redis', () => {
  const prefix = `test-two-${randomUUID()}`;
  const model = new FakeOpenAiServer();
  let db: ScratchDatabase;
  let a: ServerProcess;
  let b: ServerProcess;
  /** A third instance whose model never answers: it is killed in the middle of a turn. */
  let doomed: ServerProcess;

  const http = (server: ServerProcess) => request(server.url);
  const say = async (server: ServerProcess, prompt: string, sessionId?: string) => {
    const res = await http(server).post('/api/generate/').send({ prompt, session_id: sessionId });
    if (res.status !== 200) throw new Error(`generate answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body as { response: string; session_id: string };
  };
  const history = async (server: ServerProcess, sessionId: string) =>
    (await http(server).post('/api/get_history/').send({ session_id: sessionId }).expect(200)).body.messages as { sender: string; content: string }[];

  beforeAll(async () => {
    db = await scratchPostgres(postgres!);
    await model.start();
    model.always({ kind: 'hang' });
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL: redis!,
      REDIS_PREFIX: prefix,
      LOCK_TTL_MS: String(LOCK_TTL_MS),
      LOCK_WAIT_TIMEOUT_MS: '20000',
      PRUNE_CRON: '*/2 * * * * *',
      SESSION_RETENTION_DAYS: '30',
    };
    // The first instance runs the migrations; the others start on a migrated database.
    a = await startServer(env, 20_000);
    [b, doomed] = await Promise.all([
      startServer(env, 20_000),
      startServer({ ...env, LLM_PROVIDER: 'openai', OPENAI_API_KEY: 'test', OPENAI_BASE_URL: model.baseUrl, LLM_MAX_RETRIES: '0' }, 20_000),
    ]);
  }, 60_000);

  afterAll(async () => {
    for (const server of [a, b, doomed]) server?.kill('SIGKILL');
    await Promise.all([a, b, doomed].map((server) => server?.exited));
    await model.stop();
    await db?.drop();
    await dropRedisKeys(redis!, prefix);
  }, 30_000);

  it('should show the model the right window when a conversation alternates between them', async () => {
    const first = await say(a, 'one');
    expect((await say(b, 'two', first.session_id)).response).toContain('I can see 1 earlier turn ');
    expect((await say(a, 'three', first.session_id)).response).toContain('I can see 2 earlier turns');
    expect((await say(b, 'four', first.session_id)).response).toContain('I can see 3 earlier turns');
  });

  it('should answer 60 concurrent turns on one session, spread over both, each Human message followed by its own reply', async () => {
    const { session_id } = await say(a, 'start');
    const prompts = Array.from({ length: 60 }, (_, i) => `concurrent ${i}`);
    await Promise.all(prompts.map((prompt, i) => say(i % 2 ? a : b, prompt, session_id)));
    const messages = await history(b, session_id);
    expect(messages).toHaveLength(2 * 61);
    for (let i = 0; i < messages.length; i += 2) {
      expect(messages[i].sender).toBe('Human');
      expect(messages[i + 1]).toMatchObject({ sender: 'AI', content: expect.stringContaining(`“${messages[i].content}”`) });
    }
    const listed = (await http(a).get('/api/session_names/').query({ q: 'start' }).expect(200)).body as { session_id: string; message_count: number }[];
    expect(listed.find((s) => s.session_id === session_id)?.message_count).toBe(messages.length);
  }, 20_000);

  it('should see on one instance a session deleted on the other', async () => {
    const { session_id } = await say(a, 'to be deleted');
    await http(b).delete(`/api/sessions/${session_id}`).expect(204);
    await http(a).post('/api/get_history/').send({ session_id }).expect(404);
  });

  it('should prune once per run for both instances', async () => {
    const { session_id } = await say(a, 'long idle');
    const client = new Client({ connectionString: db.url });
    await client.connect();
    await client.query(`UPDATE chat_sessions SET last_activity = now() - interval '40 days' WHERE session_id = $1`, [session_id]);
    await client.end();
    await waitFor(async () => (await http(b).post('/api/get_history/').send({ session_id })).status === 404, 'the idle session to be pruned', 6000);
    const runs = () => [...(a.output() + b.output()).matchAll(/Pruned \d+ sessions .*\(run (\S+)\)/g)].map((m) => m[1]);
    await waitFor(() => runs().length >= 3, 'three prune runs', 8000);
    expect(new Set(runs()).size).toBe(runs().length);
  }, 20_000);

  it("should free a killed instance's session lock within its expiry", async () => {
    const { session_id } = await say(a, 'before the crash');
    const stuck = http(doomed).post('/api/generate/').send({ prompt: 'the model never answers', session_id }).then(
      () => undefined,
      () => undefined,
    );
    await waitFor(() => model.requests.length > 0, 'the doomed instance to hold the lock and ask its model');
    doomed.kill('SIGKILL');
    await doomed.exited;
    const started = Date.now();
    expect((await say(b, 'after the crash', session_id)).response).toContain('“after the crash”');
    expect(Date.now() - started).toBeLessThan(LOCK_TTL_MS + 1500);
    await stuck;
  }, 15_000);

  it('should list on B a window touched only on A', async () => {
    const { session_id } = await say(a, 'only on A');
    const held = (await http(b).get('/api/sessions/').expect(200)).body as { active_sessions: string[]; total_sessions: number };
    expect(held.active_sessions).toContain(session_id);
    expect((await http(b).get('/api/session_stats/').expect(200)).body.stats.active_sessions).toBe(held.total_sessions);
  });
});
