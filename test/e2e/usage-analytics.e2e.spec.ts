import { OfflineChatModel } from '../../src/chat/adapters/offline-chat-model';
import { ChatModel, ModelRequest } from '../../src/chat/domain/chat-model';
import { LlmUnavailableError } from '../../src/common/domain-error';
import { say } from '../support/http-helpers';
import { ManualClock } from '../support/manual-clock';
import { createTestApp, TestApp } from '../support/test-app';

/** The offline model, except that it is unreachable for prompts that say FAIL. */
class SometimesDownModel extends ChatModel {
  readonly name = 'sometimes-down';
  private readonly offline = new OfflineChatModel();

  async complete(request: ModelRequest): Promise<string> {
    if (request.messages[request.messages.length - 1].content.includes('FAIL')) throw new LlmUnavailableError('The model server is down.');
    return this.offline.complete(request);
  }

  stream(request: ModelRequest): AsyncIterable<string> {
    return this.offline.stream(request);
  }
}

// Turns count their tokens with tiktoken, whose encoder takes a while to build on a loaded machine.
jest.setTimeout(30_000);

describe('GET /api/analytics/usage', () => {
  const clock = new ManualClock(new Date('2026-11-24T09:30:00.000Z'));
  let t: TestApp;

  beforeEach(async () => {
    clock.set('2026-11-24T09:30:00.000Z');
    t = await createTestApp({ clock, overrides: [[ChatModel, new SometimesDownModel()]] });
  });
  afterEach(() => t.dispose());

  const usage = async (query: string) => (await t.http().get(`/api/analytics/usage${query}`).expect(200)).body;

  it('should serve every bucket of the range with turns, sessions, users, model calls and errors, tokens and sentiment', async () => {
    clock.set('2026-11-24T08:05:00.000Z');
    // AFINN: love +3, great +3 over five words; please +1 over two; hate -3 over three; fail -2 over two.
    const a = (await say(t, 'I love this great tool')).session_id;
    clock.set('2026-11-24T08:30:00.000Z');
    await say(t, 'more please', a);
    clock.set('2026-11-24T09:10:00.000Z');
    await say(t, 'I hate this');
    await t.http().post('/api/generate/').send({ prompt: 'FAIL now', session_id: a }).expect(503);
    const body = await usage('?from=2026-11-24T07:30:00Z&to=2026-11-24T09:59:59Z&granularity=hour');
    expect(body).toMatchObject({ granularity: 'hour', from: '2026-11-24T07:00:00.000Z', to: '2026-11-24T10:00:00.000Z' });
    expect(body.series.map((p: { start: string }) => p.start)).toEqual(['2026-11-24T07:00:00.000Z', '2026-11-24T08:00:00.000Z', '2026-11-24T09:00:00.000Z']);
    const [seven, eight, nine] = body.series;
    expect(seven).toEqual({
      start: '2026-11-24T07:00:00.000Z',
      turns: 0,
      new_sessions: 0,
      active_users: 0,
      model_calls: 0,
      model_errors: 0,
      avg_latency_ms: null,
      p95_latency_ms: null,
      tokens_in: 0,
      tokens_out: 0,
      avg_sentiment: null,
      scored_messages: 0,
    });
    expect(eight).toMatchObject({ turns: 2, new_sessions: 1, active_users: 1, model_calls: 2, model_errors: 0, avg_sentiment: 0.85, scored_messages: 2 });
    expect(nine).toMatchObject({ turns: 2, new_sessions: 1, active_users: 1, model_calls: 1, model_errors: 1, avg_sentiment: -1, scored_messages: 2 });
    for (const point of [eight, nine]) {
      expect(point.avg_latency_ms).toBeGreaterThanOrEqual(0);
      expect(point.p95_latency_ms).toBeGreaterThanOrEqual(point.avg_latency_ms);
      expect(point.tokens_in).toBeGreaterThan(0);
      expect(point.tokens_out).toBeGreaterThan(0);
    }
    // The second turn sent the first turn back to the model: more tokens in than the first.
    expect(eight.tokens_in).toBeGreaterThan(2 * 10);

    const day = await usage('?from=2026-11-24&to=2026-11-24&granularity=day');
    expect(day.series).toEqual([
      expect.objectContaining({ start: '2026-11-24T00:00:00.000Z', turns: 4, new_sessions: 2, active_users: 1, model_calls: 3, model_errors: 1, avg_sentiment: -0.075 }),
    ]);
  });

  it('should keep the history of a deleted session, and take it out of the recent sessions', async () => {
    const { session_id } = await say(t, 'I love it');
    expect((await t.http().get('/api/session_stats/').expect(200)).body.stats.recent_sessions_24h).toBe(1);
    const before = await usage('?granularity=hour');
    await t.http().delete(`/api/sessions/${session_id}`).expect(204);
    expect(await usage('?granularity=hour')).toEqual(before);
    expect((await t.http().get('/api/session_stats/').expect(200)).body.stats.recent_sessions_24h).toBe(0);
  });

  it('should default to the last 24 hours by hour, and the last 30 days by day, up to now', async () => {
    const hours = await usage('');
    expect(hours.series).toHaveLength(24);
    expect(hours).toMatchObject({ granularity: 'hour', from: '2026-11-23T10:00:00.000Z', to: '2026-11-24T10:00:00.000Z' });
    const days = await usage('?granularity=day');
    expect(days.series).toHaveLength(30);
    expect(days).toMatchObject({ from: '2026-10-26T00:00:00.000Z', to: '2026-11-25T00:00:00.000Z' });
  });

  it.each([
    ['?granularity=week', /granularity/],
    ['?from=yesterday', /from/],
    ['?to=2026-13-01', /to/],
    ['?from=2026-11-24T10:00:00Z&to=2026-11-24T09:00:00Z', /must not be after/],
    ['?from=2026-01-01&to=2026-11-24', /745|at most 744/],
    ['?from=2024-01-01&to=2026-11-24&granularity=day', /at most 366/],
    ['?other=1', /other/],
  ])('should refuse %s with 400 and say why', async (query, detail) => {
    const res = await t.http().get(`/api/analytics/usage${query}`).expect(400);
    expect(res.body).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(res.body.detail).toMatch(detail);
  });
});
