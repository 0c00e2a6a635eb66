import { Sql } from '../../src/database/sql';
import { claudeConversation, kyotoConversation } from '../support/export-files';
import { allowWrites, refuseWrites } from '../support/failing-writes';
import { historyOf, say } from '../support/http-helpers';
import { pdfText } from '../support/pdf-text';
import { createTestApp, TestApp } from '../support/test-app';

interface HistoryMessage {
  sender: string;
  content: string;
  timestamp: string;
}

const binary = (res: NodeJS.ReadableStream, done: (error: Error | null, body: unknown) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

describe('export and import of conversations', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.dispose());

  const importFile = (body: unknown, query = '') => t.http().post(`/api/sessions/import${query}`).send(body as object);
  const exportOne = (id: string, format?: string) => t.http().get(`/api/sessions/${id}/export${format ? `?format=${format}` : ''}`);
  const messagesOf = async (id: string) => ((await historyOf(t, id)).messages as HistoryMessage[]).map(({ sender, content, timestamp }) => ({ sender, content, timestamp }));
  const sessionCount = async () => Number((await t.http().get('/api/session_names?limit=1&archived=all').expect(200)).headers['x-total-count']);

  it('should give back the same history, name and settings after an export and an import, as a new session', async () => {
    const first = await say(t, 'Grüß Gott — naïve café, 日本語のテキスト 🎉');
    await say(t, 'Second turn with ```code```', first.session_id);
    await t.http().patch(`/api/sessions/${first.session_id}/settings`).send({ system_prompt: 'Be brief.', temperature: 0.3, memory: { max_history: 4 } }).expect(200);
    await t.http().patch(`/api/sessions/${first.session_id}`).send({ pinned: true, archived: true, tags: ['Travel', 'japan'] }).expect(200);

    const exported = await exportOne(first.session_id).expect(200);
    expect(exported.headers['content-type']).toMatch(/^application\/json/);
    expect(exported.body).toMatchObject({ format: 'chat-sessions/1', exported_at: expect.any(String) });
    expect(exported.body.sessions).toHaveLength(1);
    expect(exported.body.sessions[0]).toMatchObject({
      id: first.session_id,
      chat_name: first.chat_name,
      message_count: 4,
      pinned: true,
      archived: true,
      tags: ['japan', 'travel'],
      settings: { system_prompt: 'Be brief.', temperature: 0.3, model: null, memory: { strategy: 'window', max_history: 4, max_tokens: null } },
    });

    const imported = await importFile(exported.body).expect(201);
    expect(imported.body).toEqual({ format: 'chat-sessions', imported: 1, session_ids: [expect.any(String)], skipped: [] });
    const copy = imported.body.session_ids[0];
    expect(copy).not.toBe(first.session_id);
    expect(await messagesOf(copy)).toEqual(await messagesOf(first.session_id));
    const settings = await t.http().get(`/api/sessions/${copy}/settings`).expect(200);
    expect(settings.body).toMatchObject({ system_prompt: 'Be brief.', temperature: 0.3, memory: { max_history: 4 } });
    const names = (await t.http().get('/api/session_names?archived=true').expect(200)).body as { session_id: string; chat_name: string; message_count: number }[];
    expect(names.find((s) => s.session_id === copy)).toMatchObject({ chat_name: first.chat_name, message_count: 4, pinned: true, archived: true, tags: ['japan', 'travel'] });

    // Importing the same file again makes another new session: nothing is ever overwritten.
    const again = await importFile(exported.body).expect(201);
    expect(again.body.session_ids[0]).not.toBe(copy);
    expect(await messagesOf(copy)).toEqual(await messagesOf(first.session_id));
  });

  it('should read pins, archive and tags of our format when given, and refuse bad ones with where they are', async () => {
    const file = (extra: Record<string, unknown>) => ({
      format: 'chat-sessions/1',
      sessions: [{ chat_name: 'organised', created_at: '2025-01-01T00:00:00Z', settings: null, messages: [{ sender: 'Human', content: 'hi', timestamp: '2025-01-01T00:00:00Z' }], ...extra }],
    });
    const plain = await importFile(file({})).expect(201);
    const organised = await t.http().get(`/api/sessions/${plain.body.session_ids[0]}`).expect(200);
    expect(organised.body).toMatchObject({ pinned: false, archived: false, tags: [] });

    const tagged = await importFile(file({ pinned: true, tags: [' Work ', 'work', 'q3'] })).expect(201);
    expect((await t.http().get(`/api/sessions/${tagged.body.session_ids[0]}`).expect(200)).body).toMatchObject({ pinned: true, archived: false, tags: ['q3', 'work'] });

    const bad = await importFile([file({ tags: ['no/slash'] }).sessions[0], file({ pinned: 'yes' }).sessions[0]].reduce(
      (doc, session) => ({ ...doc, sessions: [...doc.sessions, session] }),
      { format: 'chat-sessions/1', sessions: [] as unknown[] },
    ));
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toMatch(/conversation 0: tags: A tag holds letters/);
  });

  it('should export all sessions as one document that imports back whole', async () => {
    await say(t, 'one of many');
    const all = await t.http().get('/api/export').expect(200);
    expect(all.headers['content-disposition']).toMatch(/^attachment; filename="chat-sessions-\d{4}-\d{2}-\d{2}\.json"/);
    const sessions = all.body.sessions as { id: string; messages: unknown[] }[];
    expect(sessions.length).toBe(await sessionCount());
    const before = await sessionCount();
    const totalBefore = (await t.http().get('/api/session_stats').expect(200)).body.stats.total_messages as number;
    const imported = await importFile(all.body).expect(201);
    expect(imported.body.imported).toBe(sessions.length);
    expect(await sessionCount()).toBe(before + sessions.length);
    // The counters behind the statistics took in every imported message.
    const totalAfter = (await t.http().get('/api/session_stats').expect(200)).body.stats.total_messages as number;
    expect(totalAfter - totalBefore).toBe(sessions.reduce((n, s) => n + s.messages.length, 0));
  });

  it('should import the branch of a ChatGPT conversation that ends at current_node, with only user and assistant text', async () => {
    const res = await importFile([kyotoConversation()]).expect(201);
    expect(res.body).toMatchObject({ format: 'chatgpt', imported: 1, skipped: [] });
    const id = res.body.session_ids[0];
    expect(await messagesOf(id)).toEqual([
      { sender: 'Human', content: 'Where can I get a café crème in Kyoto?', timestamp: new Date(1_700_000_010_000).toISOString() },
      { sender: 'AI', content: 'Try Smart Coffee near 京都市役所.', timestamp: new Date(1_700_000_030_000).toISOString() },
      { sender: 'Human', content: 'Compute 2+2 for me', timestamp: new Date(1_700_000_040_000).toISOString() },
      { sender: 'AI', content: 'It is 4.', timestamp: new Date(1_700_000_050_000).toISOString() },
    ]);
    const names = (await t.http().get('/api/session_names').expect(200)).body as { session_id: string; chat_name: string; created_at: string; last_activity: string }[];
    expect(names.find((s) => s.session_id === id)).toMatchObject({
      chat_name: 'Un café à Kyoto',
      created_at: new Date(1_700_000_000_000).toISOString(),
      last_activity: new Date(1_700_000_050_000).toISOString(),
    });
  });

  it('should import a Claude conversations.json, text in `text` or in content blocks, and skip an empty conversation', async () => {
    const file = [
      claudeConversation('Über Schnee', [
        { sender: 'human', text: 'Warum ist Schnee weiß?', at: '2025-03-01T10:00:00.123456Z' },
        { sender: 'assistant', text: 'Weil Eiskristalle Licht streuen.', at: '2025-03-01T10:00:05.000000Z', blocks: true },
      ]),
      claudeConversation('Empty one', []),
    ];
    const res = await importFile(file).expect(201);
    expect(res.body).toEqual({
      format: 'claude',
      imported: 1,
      session_ids: [expect.any(String)],
      skipped: [{ index: 1, title: 'Empty one', reason: 'no user or assistant messages with text' }],
    });
    expect(await messagesOf(res.body.session_ids[0])).toEqual([
      { sender: 'Human', content: 'Warum ist Schnee weiß?', timestamp: '2025-03-01T10:00:00.123Z' },
      { sender: 'AI', content: 'Weil Eiskristalle Licht streuen.', timestamp: '2025-03-01T10:00:05.000Z' },
    ]);
  });

  it('should answer a dry run with the same report and store nothing', async () => {
    const before = await sessionCount();
    const file = [kyotoConversation(), { ...kyotoConversation(), mapping: { root: { id: 'root', message: null, parent: null, children: [] } }, current_node: 'root' }];
    const res = await importFile(file, '?dry_run=true').expect(200);
    expect(res.body).toEqual({ format: 'chatgpt', imported: 1, session_ids: [], skipped: [{ index: 1, title: 'Un café à Kyoto', reason: 'no user or assistant messages with text' }] });
    expect(await sessionCount()).toBe(before);
  });

  it.each([
    ['a conversation whose mapping is not an object', [kyotoConversation(), { ...kyotoConversation(), mapping: 'nope' }], 'conversation 1: mapping is not an object'],
    ['a current_node missing from mapping', [{ ...kyotoConversation(), current_node: 'ghost' }], 'conversation 0: node ghost is not in mapping'],
    ['a Claude message list that is not a list', [claudeConversation('x', []), { name: 'y', chat_messages: {} }], 'conversation 1: chat_messages is not a list'],
    ['a bad time', [claudeConversation('x', [{ sender: 'human', text: 'hi', at: 'yesterday' }])], 'conversation 0: the created_at of chat_messages[0] is not a time'],
    ['a newer version of our format', { format: 'chat-sessions/9', sessions: [] }, 'format "chat-sessions/9" is not supported'],
    ['a message of ours with a bad sender', { format: 'chat-sessions/1', sessions: [{ chat_name: 'x', created_at: '2025-01-01T00:00:00Z', messages: [{ sender: 'Bot', content: 'x', timestamp: '2025-01-01T00:00:00Z' }] }] }, 'conversation 0: messages[0].sender is not "Human" or "AI"'],
    ['something else entirely', { hello: 'world' }, 'not an export this service reads'],
    ['an empty list', [], 'nothing to import'],
  ])('should refuse %s with a 400 that says what and where, storing nothing', async (_name, body, detail) => {
    const before = await sessionCount();
    const res = await importFile(body).expect(400);
    expect(res.body).toEqual({ status: 400, code: 'import_unreadable', detail: expect.stringContaining(detail) });
    expect(await sessionCount()).toBe(before);
  });

  it('should export Markdown that reads well, under a safe file name made from the chat name', async () => {
    const turn = await say(t, 'Ça va? "quotes" / slashes\\ and 東京');
    const res = await exportOne(turn.session_id, 'markdown').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/markdown; charset=utf-8/);
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="Ca va_ _quotes_ _ slashes_ and.md"; filename*=UTF-8''${encodeURIComponent('Ça va_ _quotes_ _ slashes_ and 東京')}.md`,
    );
    expect(res.text).toContain(`# ${turn.chat_name}`);
    expect(res.text).toMatch(/\*\*You\*\* · \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\n\nÇa va\? "quotes" \/ slashes\\ and 東京/);
    expect(res.text).toContain('**Assistant**');
  });

  it('should export a PDF whose text, read back by a PDF parser, holds accented, CJK and Korean text', async () => {
    const turn = await say(t, 'Crème brûlée für Jürgen 🎂');
    await say(t, '東京タワーと中文字符 ```\nconst x = 1;\n```', turn.session_id);
    await say(t, '안녕하세요, 서울 in a code block too: ```\nconst 이름 = "값";\n```', turn.session_id);
    const res = await exportOne(turn.session_id, 'pdf').buffer(true).parse(binary as never).expect(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="Creme brulee fur Jurgen.pdf"/);
    const text = await pdfText(res.body as Buffer);
    expect(text).toContain('Crème brûlée für Jürgen');
    expect(text).toContain('東京タワーと中文字符');
    expect(text).toContain('const x = 1;');
    expect(text).toContain('안녕하세요, 서울');
    expect(text).toContain('const 이름 = "값";');
    expect(text).not.toContain('?');
  }, 30_000);

  it('should take an import larger than the body limit of the other routes', async () => {
    const long = 'Lorem ipsum dolor sit amet. '.repeat(4_000);
    const file = [claudeConversation('big', Array.from({ length: 20 }, (_, i) => ({ sender: i % 2 ? ('assistant' as const) : ('human' as const), text: long, at: '2025-03-01T10:00:00Z' })))];
    expect(JSON.stringify(file).length).toBeGreaterThan(2 * 1_048_576);
    const res = await importFile(file).expect(201);
    expect((await historyOf(t, res.body.session_ids[0])).messages).toHaveLength(20);
    await t.http().post('/api/generate').send({ prompt: 'x', padding: long.repeat(10) }).expect(413);
  });

  it('should 404 the export of an unknown session and 400 an unknown format', async () => {
    await exportOne('00000000-0000-4000-8000-000000000000').expect(404);
    const turn = await say(t, 'format check');
    const res = await exportOne(turn.session_id, 'docx').expect(400);
    expect(res.body.code).toBe('validation_failed');
  });
});

describe('an import failing in the middle of one conversation', () => {
  let t: TestApp;
  let sql: Sql;

  beforeAll(async () => {
    t = await createTestApp();
    sql = t.app.get(Sql, { strict: false });
  });
  afterAll(() => t.dispose());

  const conversation = (name: string, tags: string[]) => ({
    chat_name: name,
    created_at: '2025-01-01T00:00:00Z',
    pinned: true,
    tags,
    settings: { system_prompt: `Speak as ${name}.`, model: null, temperature: 0.5, memory: { strategy: 'window', max_history: 3, max_tokens: null } },
    messages: [
      { sender: 'Human', content: `hello from ${name}`, timestamp: '2025-01-01T00:00:00Z' },
      { sender: 'AI', content: `hi, ${name}`, timestamp: '2025-01-01T00:00:01Z' },
    ],
  });
  const count = async (query: string) => Number((await sql.get<{ n: number | string }>(query))!.n);

  it('should leave nothing of it, even when nothing can be undone afterwards, and keep the others of the file whole', async () => {
    // The database refuses the tag "fails", written after the session's row, messages and settings;
    // and no session can be deleted, as after a crash no undo would run: what the failure left, stays.
    await refuseWrites(sql, 'session_tags', 'INSERT', "NEW.tag = 'fails'");
    await refuseWrites(sql, 'chat_sessions', 'DELETE');
    try {
      const file = { format: 'chat-sessions/1', sessions: [conversation('first', ['kept']), conversation('broken', ['fails']), conversation('third', ['kept'])] };
      const res = await t.http().post('/api/sessions/import').send(file).expect(201);
      expect(res.body).toEqual({
        format: 'chat-sessions',
        imported: 2,
        session_ids: [expect.any(String), expect.any(String)],
        skipped: [{ index: 1, title: 'broken', reason: expect.stringMatching(/^not stored: /) }],
      });

      expect(await count("SELECT COUNT(*) AS n FROM chat_sessions WHERE chat_name = 'broken'")).toBe(0);
      expect(await count("SELECT COUNT(*) AS n FROM chat_messages WHERE content LIKE '%broken%'")).toBe(0);
      expect(await count('SELECT COUNT(*) AS n FROM session_settings')).toBe(2);
      expect(await count('SELECT COUNT(*) AS n FROM session_tags')).toBe(2);
      // The counters behind the listing and the statistics took in the two others only.
      expect((await t.http().get('/api/session_names?limit=1&archived=all').expect(200)).headers['x-total-count']).toBe('2');
      expect((await t.http().get('/api/session_stats').expect(200)).body.stats).toMatchObject({ total_sessions: 2, total_messages: 4 });

      for (const [i, name] of ['first', 'third'].entries()) {
        const id = res.body.session_ids[i] as string;
        expect((await t.http().get(`/api/sessions/${id}`).expect(200)).body).toMatchObject({ chat_name: name, pinned: true, archived: false, tags: ['kept'] });
        expect((await t.http().get(`/api/sessions/${id}/settings`).expect(200)).body).toMatchObject({ system_prompt: `Speak as ${name}.`, temperature: 0.5 });
        expect(((await historyOf(t, id)).messages as HistoryMessage[]).map((m) => m.content)).toEqual([`hello from ${name}`, `hi, ${name}`]);
      }
    } finally {
      await allowWrites(sql, 'chat_sessions', 'DELETE');
      await allowWrites(sql, 'session_tags', 'INSERT');
    }
  });
});

describe('the import size limit', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { IMPORT_MAX_BYTES: '4096' } });
  });
  afterAll(() => t.dispose());

  it('should refuse a file over IMPORT_MAX_BYTES with 413, and take one under it', async () => {
    const big = [claudeConversation('big', [{ sender: 'human', text: 'x'.repeat(5000), at: '2025-03-01T10:00:00Z' }])];
    const res = await t.http().post('/api/sessions/import').send(big).expect(413);
    expect(res.body).toEqual({ status: 413, code: 'payload_too_large', detail: expect.stringContaining('IMPORT_MAX_BYTES (4096 bytes)') });
    const small = [claudeConversation('small', [{ sender: 'human', text: 'hi', at: '2025-03-01T10:00:00Z' }])];
    await t.http().post('/api/sessions/import').send(small).expect(201);
  });
});
