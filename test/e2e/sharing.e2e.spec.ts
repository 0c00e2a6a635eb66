import { randomUUID } from 'node:crypto';
import { createTestApp, TestApp } from '../support/test-app';

describe('shared links', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.dispose());

  const say = async (prompt: string, session_id?: string) => (await t.http().post('/api/generate').send({ prompt, session_id }).expect(200)).body.session_id as string;
  const share = async (id: string) => {
    const body = (await t.http().post(`/api/sessions/${id}/share`).expect(201)).body as { share_id: string; url: string };
    // `url` is the web client's page; its JSON is under /api.
    return { ...body, page: body.url, url: `/api/shared/${body.share_id}` };
  };
  const contents = (messages: { sender: string; content: string }[]) => messages.map((m) => `${m.sender}: ${m.content}`);

  it('should serve a snapshot of the conversation as it was when shared, without its session id, and leave later turns out', async () => {
    const id = await say('First question');
    await say('Second question', id);
    const link = await share(id);
    expect(link.share_id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(link.page).toBe(`/shared/${link.share_id}`);
    await say('Third question, after sharing', id);
    const shared = await t.http().get(link.url).expect(200);
    expect(shared.body).toEqual({ share_id: link.share_id, chat_name: 'First question', shared_at: expect.any(String), messages: expect.any(Array) });
    expect(contents(shared.body.messages)).toEqual(['Human: First question', expect.stringMatching(/^AI: /), 'Human: Second question', expect.stringMatching(/^AI: /)]);
    expect(JSON.stringify(shared.body)).not.toContain(id);
    await t.http().post('/api/clear_history').send({ session_id: id }).expect(200);
    expect((await t.http().get(link.url).expect(200)).body).toEqual(shared.body);
  });

  it('should give every share its own id, and refuse an empty or unknown session', async () => {
    const id = await say('Hello');
    const [a, b] = [await share(id), await share(id)];
    expect(a.share_id).not.toBe(b.share_id);
    expect((await t.http().post(`/api/sessions/${randomUUID()}/share`).expect(404)).body.code).toBe('session_not_found');
    await t.http().post('/api/clear_history').send({ session_id: id }).expect(200);
    expect((await t.http().post(`/api/sessions/${id}/share`).expect(400)).body.detail).toMatch(/no messages/);
  });

  it('should answer 404 once revoked, and for an unknown or malformed id a 404 or 400', async () => {
    const id = await say('Soon private again');
    const link = await share(id);
    await t.http().delete(`/api/sessions/${id}/share/${link.share_id}`).expect(204);
    expect((await t.http().get(link.url).expect(404)).body.code).toBe('share_not_found');
    await t.http().delete(`/api/sessions/${id}/share/${link.share_id}`).expect(404);
    await t.http().get('/api/shared/AAAAAAAAAAAAAAAAAAAAAA').expect(404);
    await t.http().get('/api/shared/short').expect(400);
  });

  it('should not revoke a share through another session', async () => {
    const link = await share(await say('Mine'));
    const other = await say('Other');
    await t.http().delete(`/api/sessions/${other}/share/${link.share_id}`).expect(404);
    await t.http().get(link.url).expect(200);
  });

  it('should stop serving the shares of a deleted session', async () => {
    const id = await say('Going away');
    const link = await share(id);
    await t.http().delete(`/api/sessions/${id}`).expect(204);
    await t.http().get(link.url).expect(404);
  });

  it('should continue a shared conversation in a new session that holds the snapshot and goes on from it', async () => {
    const id = await say('Tell me a story');
    const link = await share(id);
    const continued = await t.http().post(`${link.url}/continue`).expect(201);
    const copy = continued.body.session_id as string;
    expect(copy).not.toBe(id);
    await say('And then?', copy);
    const history = await t.http().post('/api/get_history').send({ session_id: copy }).expect(200);
    expect(history.body.history.slice(0, 3)).toEqual(['Human: Tell me a story', expect.stringMatching(/^AI: /), 'Human: And then?']);
    const original = await t.http().post('/api/get_history').send({ session_id: id }).expect(200);
    expect(original.body.messages).toHaveLength(2);
    await t.http().post('/api/shared/AAAAAAAAAAAAAAAAAAAAAA/continue').expect(404);
  });
});
