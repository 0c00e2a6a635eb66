import { randomUUID } from 'node:crypto';
import { Sql } from '../../src/database/sql';
import { JWT_ENV, register, sayAs } from '../support/auth-helpers';
import { createTestApp, TestApp } from '../support/test-app';

/** The words a snippet marks as matched (between U+0002 and U+0003). */
const marked = (snippet: string) => snippet.split('\u0002').slice(1).map((piece) => piece.split('\u0003')[0]);

/** Writes a conversation straight into the tables: the index must follow through its triggers or generated columns. */
async function seed(t: TestApp, chatName: string, messages: string[], at = '2026-11-20T10:00:00.000Z', ownerId: string | null = null): Promise<string> {
  const sql = t.app.get(Sql);
  const id = randomUUID();
  await sql.run('INSERT INTO chat_sessions (session_id, chat_name, created_at, last_activity, message_count, owner_id) VALUES (?, ?, ?, ?, ?, ?)', [
    id, chatName, at, at, messages.length, ownerId,
  ]);
  for (const [i, content] of messages.entries()) {
    await sql.run('INSERT INTO chat_messages (session_id, sender, content, "timestamp") VALUES (?, ?, ?, ?)', [id, i % 2 ? 'AI' : 'Human', content, at]);
  }
  return id;
}

describe('GET /api/search', () => {
  let t: TestApp;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp();
    ids.pie = await seed(t, 'Baking plans', ['How do I bake an apple pie?', 'Core the apples, then bake the pie for forty minutes.']);
    ids.tart = await seed(t, 'Tart talk', ['Apple apple apple: tart, tart.', 'Dessert ideas for the weekend']);
    ids.garden = await seed(t, 'Apple orchard', ['Pruning trees in winter', 'Cut above an outward bud.']);
    ids.code = await seed(t, 'Server logs', ['Mail user@example.com about off_sale, see /usr/bin/env', 'Kubernetes kubectl rollout restart deployment']);
    ids.evil = await seed(t, 'Forged marks', ['marker \u0002fake\u0003 highlight trap', 'ÉCLAIRS au café', '<img src=x onerror=alert(1)> script injection']);
  }, 30_000);
  afterAll(() => t.dispose());

  const search = (q: string, extra: Record<string, string | number> = {}) => t.http().get('/api/search').query({ q, ...extra });

  it('should find messages and chat names with the contract fields, chat names first, and count every match', async () => {
    const res = await search('apple').expect(200);
    expect(res.headers['x-total-count']).toBe(String(res.body.length));
    expect(res.body[0]).toEqual({ session_id: ids.garden, chat_name: 'Apple orchard', message_id: null, sender: null, snippet: '\u0002Apple\u0003 orchard', timestamp: '2026-11-20T10:00:00.000Z' });
    const messages = res.body.slice(1);
    expect(messages.map((r: { session_id: string }) => r.session_id).sort()).toEqual([ids.pie, ids.tart].sort());
    for (const r of messages) {
      expect(Object.keys(r).sort()).toEqual(['chat_name', 'message_id', 'sender', 'session_id', 'snippet', 'timestamp']);
      expect(r.message_id).toEqual(expect.any(Number));
      expect(marked(r.snippet).join(' ').toLowerCase()).toMatch(/\bapple\b/);
    }
  });

  it('should rank the message that says it most and briefly above a passing mention', async () => {
    const res = await search('apple').expect(200);
    expect(res.body[1]).toMatchObject({ session_id: ids.tart, sender: 'Human', chat_name: 'Tart talk' });
    expect(marked(res.body[1].snippet)).toEqual(['Apple apple apple']);
  });

  it('should need every word, and find words side by side with a "phrase"', async () => {
    expect((await search('bake pie').expect(200)).body).toHaveLength(2);
    const phrase = await search('"apple pie"').expect(200);
    expect(phrase.body.map((r: { snippet: string }) => r.snippet)).toEqual(['How do I bake an \u0002apple pie\u0003?']);
    expect(phrase.headers['x-total-count']).toBe('1');
    expect((await search('"pie apple"').expect(200)).body).toHaveLength(0);
  });

  it('should find words by their beginning with word*', async () => {
    const res = await search('kube*').expect(200);
    expect(res.body).toHaveLength(1);
    expect(marked(res.body[0].snippet)).toEqual(['Kubernetes kubectl']);
    expect((await search('kube').expect(200)).body).toHaveLength(0);
    expect((await search('"rollout rest"*').expect(200)).body).toHaveLength(1);
  });

  it('should split words at punctuation on every store, and fold case beyond ASCII', async () => {
    for (const q of ['example', 'sale', 'usr', 'user@example.com', 'off_sale']) {
      expect({ q, sessions: (await search(q).expect(200)).body.map((r: { session_id: string }) => r.session_id) }).toEqual({ q, sessions: [ids.code] });
    }
    expect((await search('éclairs').expect(200)).body).toHaveLength(1);
  });

  it('should keep control characters of a message out of the snippet, so no message can forge a highlight', async () => {
    const res = await search('trap').expect(200);
    expect(res.body[0].snippet).toBe('marker  fake  highlight \u0002trap\u0003');
    expect(marked(res.body[0].snippet)).toEqual(['trap']);
    expect((await search('onerror').expect(200)).body[0].snippet).toBe('<img src=x \u0002onerror\u0003=alert(1)> script injection');
  });

  it('should page with limit and offset and keep the total', async () => {
    const all = (await search('apple').expect(200)).body;
    const page = await search('apple', { limit: 1, offset: 1 }).expect(200);
    expect(page.body).toEqual(all.slice(1, 2));
    expect(page.headers['x-total-count']).toBe(String(all.length));
  });

  it('should follow deletes and clears through the index', async () => {
    const gone = await seed(t, 'Short lived', ['zygomorphic flowers']);
    expect((await search('zygomorphic').expect(200)).body).toHaveLength(1);
    await t.http().delete(`/api/sessions/${gone}`).expect(204);
    expect((await search('zygomorphic').expect(200)).body).toEqual([]);
    const cleared = await seed(t, 'Cleared one', ['quixotic plans']);
    await t.http().post('/api/clear_history').send({ session_id: cleared }).expect(200);
    expect((await search('quixotic').expect(200)).body).toEqual([]);
  });

  it('should rank the newest 1,000 hits and then give older ones newest first, each hit on exactly one page', async () => {
    const sql = t.app.get(Sql);
    const oldest = await seed(t, 'Old notes', ['zebra zebra zebra, the best match but the oldest'], '2026-01-01T00:00:00.000Z');
    const many = await seed(t, 'Many notes', []);
    for (let i = 0; i < 1_005; i += 100) {
      const rows = Array.from({ length: Math.min(100, 1_005 - i) }, (_, j) => [many, 'Human', `note ${i + j} mentions a zebra among other words`, '2026-11-20T10:00:00.000Z']);
      await sql.run(`INSERT INTO chat_messages (session_id, sender, content, "timestamp") VALUES ${rows.map(() => '(?, ?, ?, ?)').join(', ')}`, rows.flat());
    }
    const first = await search('zebra', { limit: 100 }).expect(200);
    expect(first.headers['x-total-count']).toBe('1006');
    expect(first.body.map((r: { session_id: string }) => r.session_id)).not.toContain(oldest);
    const seen: number[] = [];
    for (let offset = 0; offset < 1_006; offset += 100) seen.push(...(await search('zebra', { limit: 100, offset }).expect(200)).body.map((r: { message_id: number }) => r.message_id));
    expect(new Set(seen).size).toBe(1_006);
    expect((await search('zebra', { limit: 100, offset: 1_000 }).expect(200)).body.at(-1).session_id).toBe(oldest);
  }, 30_000);

  const HOSTILE = [
    '"', '""', '"""', '*', '**', 'a*', '-', '--', '- apple', 'apple -pie', 'AND', 'apple AND', 'AND OR NOT', 'NEAR(', 'NEAR(apple pie, 2)',
    '(((', ')))', 'apple)', '(apple OR pie', 'apple:', 'content:apple', '^apple', '{apple pie}', "'", "apple' OR '1'='1", "'; DROP TABLE chat_messages; --",
    'apple"; DELETE FROM chat_sessions; --', '1=1', '%', '_', '\\', '\\"', '!', '&', '|', 'apple & pie | !tart', "'apple':*", 'apple <-> pie', 'apple:*',
    '<script>alert(1)</script>', '😀', 'x'.repeat(500), 'a '.repeat(17).trim(), 'NOT', '"unclosed phrase', 'pie*"', '*apple', 'ap*ple', '\t\n',
  ];

  it.each(HOSTILE)('should answer a hostile query %j with 200 or 400, never a 5xx', async (q) => {
    const res = await search(q);
    expect([200, 400]).toContain(res.status);
    if (res.status === 400) expect(res.body).toMatchObject({ status: 400, code: 'validation_failed', detail: expect.any(String) });
    else expect(Array.isArray(res.body)).toBe(true);
  });

  it('should still hold every table after the hostile queries', async () => {
    expect((await search('apple').expect(200)).body.length).toBeGreaterThan(2);
  });

  it.each([
    ['no q', {}],
    ['a blank q', { q: '   ' }],
    ['punctuation only', { q: '(((' }],
    ['a one-letter prefix', { q: 'a*' }],
    ['too many words', { q: 'w '.repeat(17) }],
    ['limit 0', { q: 'apple', limit: 0 }],
    ['limit 101', { q: 'apple', limit: 101 }],
    ['a negative offset', { q: 'apple', offset: -1 }],
    ['a q over 500 characters', { q: 'q'.repeat(501) }],
  ])('should refuse %s with 400 and a detail', async (_name, query) => {
    const res = await t.http().get('/api/search/').query(query).expect(400);
    expect(res.body).toMatchObject({ status: 400, code: 'validation_failed', detail: expect.any(String) });
  });
});

describe('GET /api/search with accounts (AUTH_MODE=jwt)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: JWT_ENV });
  }, 30_000);
  afterAll(() => t.dispose());

  it("should find only the caller's own messages and chat names, even for an admin", async () => {
    const admin = await register(t, 'admin-s');
    const a = await register(t, 'user-a');
    const b = await register(t, 'user-b');
    const mine = await sayAs(t, a, 'my secret marmalade recipe');
    await seed(t, 'Marmalade of A', ['marmalade again'], undefined, a.id);
    for (const other of [b, admin]) {
      const res = await t.http().get('/api/search?q=marmalade').set('Authorization', other.auth).expect(200);
      expect({ body: res.body, total: res.headers['x-total-count'] }).toEqual({ body: [], total: '0' });
    }
    const own = await t.http().get('/api/search?q=marmalade').set('Authorization', a.auth).expect(200);
    expect(new Set(own.body.map((r: { session_id: string }) => r.session_id)).has(mine)).toBe(true);
    expect(own.body.length).toBeGreaterThanOrEqual(3);
  }, 30_000);
});
