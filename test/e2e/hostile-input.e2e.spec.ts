import { historyOf, say } from '../support/http-helpers';
import { createTestApp, TestApp, testStores } from '../support/test-app';

interface Attack {
  name: string;
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  body?: string | object;
  type?: string;
  headers?: Record<string, string>;
  /** The exact status, when it matters more than "some 4xx". */
  status?: number;
  /** The field the detail must name. */
  field?: string;
}

const ID = '0c8f2a9e-3b1d-4e5f-8a7b-6c5d4e3f2a1b';
const deep = (depth: number) => '{"prompt":' + '['.repeat(depth) + ']'.repeat(depth) + '}';

const ATTACKS: Attack[] = [
  { name: 'truncated JSON', method: 'post', path: '/api/generate/', body: '{"prompt": "x"', type: 'application/json' },
  { name: 'JSON null', method: 'post', path: '/api/generate/', body: 'null', type: 'application/json' },
  { name: 'a bare string', method: 'post', path: '/api/generate/', body: '"hello"', type: 'application/json' },
  { name: 'a bare number', method: 'post', path: '/api/generate/', body: '42', type: 'application/json' },
  { name: 'an array body', method: 'post', path: '/api/generate/', body: [{ prompt: 'x' }] },
  { name: 'single quotes', method: 'post', path: '/api/generate/', body: "{'prompt': 'x'}", type: 'application/json' },
  { name: 'a prompt object (operator injection)', method: 'post', path: '/api/generate/', body: { prompt: { $gt: '' } } },
  { name: 'a null prompt', method: 'post', path: '/api/generate/', body: { prompt: null } },
  { name: 'a prompt array', method: 'post', path: '/api/generate/', body: { prompt: ['a', 'b'] } },
  { name: '__proto__ key', method: 'post', path: '/api/generate/', body: '{"prompt":"x","__proto__":{"polluted":true}}', type: 'application/json' },
  { name: 'constructor.prototype key', method: 'post', path: '/api/generate/', body: { prompt: 'x', constructor: { prototype: { polluted: true } } } },
  { name: 'a deeply nested prompt', method: 'post', path: '/api/generate/', body: deep(5000), type: 'application/json' },
  { name: 'a 3 MB body', method: 'post', path: '/api/generate/', body: JSON.stringify({ prompt: 'x'.repeat(3_000_000) }), type: 'application/json' },
  { name: 'an over-long prompt', method: 'post', path: '/api/generate/', body: { prompt: 'y'.repeat(32_001) } },
  { name: 'path traversal as session id', method: 'post', path: '/api/generate/', body: { prompt: 'x', session_id: '../../etc/passwd' } },
  { name: 'SQL as session id', method: 'post', path: '/api/generate/', body: { prompt: 'x', session_id: "' OR 1=1; DROP TABLE chat_sessions; --" } },
  { name: 'max_history as a string', method: 'post', path: '/api/generate/', body: { prompt: 'x', max_history: '10' } },
  { name: 'negative max_history', method: 'post', path: '/api/generate/', body: { prompt: 'x', max_history: -1 } },
  { name: 'a form body', method: 'post', path: '/api/generate/', body: 'prompt=x', type: 'application/x-www-form-urlencoded' },
  { name: 'a Latin-1 body', method: 'post', path: '/api/generate/', body: '{"prompt":"x"}', type: 'application/json; charset=latin1' },
  { name: 'garbage gzip', method: 'post', path: '/api/generate/', body: '{"prompt":"x"}', type: 'application/json', headers: { 'Content-Encoding': 'gzip' } },
  { name: 'GET on a POST route', method: 'get', path: '/api/generate/' },
  { name: 'PUT on a GET route', method: 'put', path: '/api/session_names/', body: {} },
  { name: 'stream with a wrong type', method: 'post', path: '/api/generate/stream', body: { prompt: 5 } },
  { name: 'history without a session id', method: 'post', path: '/api/get_history/', body: {} },
  { name: 'history with SQL as id', method: 'post', path: '/api/get_history/', body: { session_id: '1 OR 1=1' } },
  { name: 'history with a negative before_id', method: 'post', path: '/api/get_history/', body: { session_id: ID, before_id: -1 } },
  { name: 'history with a string limit', method: 'post', path: '/api/get_history/', body: { session_id: ID, limit: '10' } },
  { name: 'history with a huge limit', method: 'post', path: '/api/get_history/', body: { session_id: ID, limit: 1e9 } },
  { name: 'clear with a text body', method: 'post', path: '/api/clear_history/', body: 'session_id', type: 'text/plain' },
  { name: 'clear with an unknown field', method: 'post', path: '/api/clear_history/', body: { session_id: ID, all: true } },
  { name: 'list with limit 1e3', method: 'get', path: '/api/session_names/?limit=1e3' },
  { name: 'list with a negative offset', method: 'get', path: '/api/session_names/?offset=-10' },
  { name: 'list with repeated limits', method: 'get', path: '/api/session_names/?limit=1&limit=2' },
  { name: 'list with a bad date', method: 'get', path: '/api/session_names/?since=2026-02-30T99:00' },
  { name: 'list with an over-long q', method: 'get', path: `/api/session_names/?q=${'q'.repeat(600)}` },
  { name: 'list with an array q', method: 'get', path: '/api/session_names/?q[]=a&q[]=b' },
  { name: 'delete with traversal', method: 'delete', path: '/api/sessions/..%2F..%2Fetc%2Fpasswd' },
  { name: 'delete with a NUL byte', method: 'delete', path: '/api/sessions/%00' },
  { name: 'delete with SQL', method: 'delete', path: "/api/sessions/'%20OR%20'1'='1" },
  { name: 'delete without an id', method: 'delete', path: '/api/sessions/' },
  { name: 'cleanup with days_old 0', method: 'post', path: '/api/cleanup_sessions/', body: { days_old: 0 } },
  { name: 'cleanup with a string days_old', method: 'post', path: '/api/cleanup_sessions/', body: { days_old: '30' } },
  { name: 'cleanup with a huge days_old', method: 'post', path: '/api/cleanup_sessions/', body: { days_old: 1e12 } },
  { name: 'cleanup with a string dry_run', method: 'post', path: '/api/cleanup_sessions/', body: { dry_run: 'true' } },
  { name: 'an unknown route', method: 'get', path: '/api/admin/../../etc/passwd' },
  // ISO-8601 forms outside the accepted subset: each once reached the store's date code (a 500).
  ...['2024-W05-1', '2024-060', '20240101T1000', '2024-01-01T10', '2024-01-01T10:00:00,5Z', '2024-01-01T10:00:00', '2024-01-01 10:00Z', '+012024-01-01'].map(
    (since): Attack => ({ name: `since=${since}`, method: 'get', path: `/api/session_names/?since=${encodeURIComponent(since)}`, status: 400, field: 'since' }),
  ),
  { name: 'until=2024-02-30', method: 'get', path: '/api/session_names/?until=2024-02-30', status: 400, field: 'until' },
  { name: 'until=0000-12-31 (no year 0)', method: 'get', path: '/api/session_names/?until=0000-12-31', status: 400, field: 'until' },
  { name: 'since before year 1 by its offset', method: 'get', path: `/api/session_names/?since=${encodeURIComponent('0001-01-01T00:00+01:00')}`, status: 400, field: 'since' },
  { name: 'a time of 24:00', method: 'get', path: '/api/session_names/?since=2024-01-01T24:00Z', status: 400, field: 'since' },
  // Integers the stores cannot take.
  { name: 'offset=2^63', method: 'get', path: '/api/session_names/?offset=9223372036854775808', status: 400, field: 'offset' },
  { name: 'offset=2^53', method: 'get', path: '/api/session_names/?offset=9007199254740992', status: 400, field: 'offset' },
  { name: 'limit=2^64', method: 'get', path: '/api/session_names/?limit=18446744073709551616', status: 400, field: 'limit' },
  { name: 'active sessions offset=2^63', method: 'get', path: '/api/sessions/?offset=9223372036854775808', status: 400, field: 'offset' },
  { name: 'active sessions limit=0', method: 'get', path: '/api/sessions/?limit=0', status: 400, field: 'limit' },
  { name: 'before_id=2^53', method: 'post', path: '/api/get_history/', body: { session_id: ID, before_id: 2 ** 53 }, status: 400, field: 'before_id' },
  { name: 'before_id=1e300', method: 'post', path: '/api/get_history/', body: '{"session_id":"' + ID + '","before_id":1e300}', type: 'application/json', status: 400, field: 'before_id' },
  { name: 'before_id=2^31 (past a 32-bit id)', method: 'post', path: '/api/get_history/', body: { session_id: ID, before_id: 2 ** 31 }, status: 400, field: 'before_id' },
  { name: 'max_history=1e300', method: 'post', path: '/api/generate/', body: '{"prompt":"x","max_history":1e300}', type: 'application/json', status: 400, field: 'max_history' },
  { name: 'days_old=2^53', method: 'post', path: '/api/cleanup_sessions/', body: { days_old: 2 ** 53 }, status: 400, field: 'days_old' },
  // Text no store keeps as sent: NUL and lone surrogates.
  { name: 'a NUL in the prompt', method: 'post', path: '/api/generate/', body: { prompt: 'a\u0000b' }, status: 400, field: 'prompt' },
  { name: 'a NUL in the streamed prompt', method: 'post', path: '/api/generate/stream', body: { prompt: '\u0000' }, status: 400, field: 'prompt' },
  { name: 'a lone high surrogate in the prompt', method: 'post', path: '/api/generate/', body: '{"prompt":"a\\ud800b"}', type: 'application/json', status: 400, field: 'prompt' },
  { name: 'a lone low surrogate in the prompt', method: 'post', path: '/api/generate/', body: '{"prompt":"\\udc00"}', type: 'application/json', status: 400, field: 'prompt' },
  { name: 'a NUL in q', method: 'get', path: '/api/session_names/?q=%00', status: 400, field: 'q' },
  { name: 'a NUL inside q', method: 'get', path: '/api/session_names/?q=apple%00pie', status: 400, field: 'q' },
  { name: 'a NUL in a field name', method: 'post', path: '/api/clear_history/', body: '{"session_id":"' + ID + '","x\\u0000":1}', type: 'application/json', status: 400 },
  // Paths no route serves.
  { name: 'doubled slashes', method: 'get', path: '//api//x', status: 404 },
  { name: 'an unknown API path', method: 'get', path: '/api/nope', status: 404 },
  { name: 'a missing asset', method: 'get', path: '/assets/app-0000.js', status: 404 },
  { name: 'a POST to nowhere', method: 'post', path: '/nowhere', body: { a: 1 }, status: 404 },
  // Media types: a JSON type is parsed or refused, never half-accepted.
  { name: 'a JSON suffix type in Latin-1', method: 'post', path: '/api/generate/', body: '{"prompt":"x"}', type: 'application/vnd.x+json; charset=latin1', status: 415 },
  { name: 'a JSON suffix type with a broken body', method: 'post', path: '/api/generate/', body: '{"prompt":', type: 'application/vnd.x+json', status: 400 },
];

describe.each(testStores())('hostile input on %s', (store) => {
  let t: TestApp;
  let keptId: string;

  beforeAll(async () => {
    t = await createTestApp({ store });
    keptId = (await say(t, 'a conversation that must survive')).session_id;
  });
  afterAll(() => t.dispose());

  it(`should list at least 30 attacks (${ATTACKS.length})`, () => {
    expect(ATTACKS.length).toBeGreaterThanOrEqual(30);
  });

  it.each(ATTACKS.map((a) => [a.name, a]))('should answer %s with a 4xx and a detail', async (_name, attack) => {
    let req = t.http()[attack.method](attack.path);
    for (const [k, v] of Object.entries(attack.headers ?? {})) req = req.set(k, v);
    if (attack.type) req = req.set('Content-Type', attack.type);
    if (attack.body !== undefined) req = req.send(attack.body as object);
    const res = await req;
    expect({ status: res.status, body: res.body }).toEqual({
      status: expect.any(Number),
      body: expect.objectContaining({ status: res.status, code: expect.any(String), detail: expect.any(String) }),
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    if (attack.status) expect(res.status).toBe(attack.status);
    if (attack.field) expect(res.body.detail).toContain(attack.field);
    expect(res.headers['content-type']).toMatch(/application\/json/);
  });

  it('should treat SQL in a search as text, pollute no prototype, and lose nothing', async () => {
    const search = await t.http().get('/api/session_names/').query({ q: "' OR '1'='1" }).expect(200);
    expect(search.body).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await t.http().get('/api/health').expect(200)).body.status).toBe('ok');
    expect((await historyOf(t, keptId)).history).toHaveLength(2);
    expect((await t.http().get('/api/session_names/').expect(200)).headers['x-total-count']).toBe('1');
  });

  it('should round-trip quotes, HTML, emoji, RTL marks and control characters byte for byte', async () => {
    const text = `He said "hi" & 'bye' <img src=x onerror=alert(1)> \\ 👩‍👩‍👧‍👦 🇩🇪 \u202Eevil\u202C \u200F שלום \u0001\u0007\u001b[31m\u007f\u0085\uFEFF\uFFFF 𝕏 \r\n\t end`;
    const reply = await say(t, text);
    const history = await historyOf(t, reply.session_id);
    expect(history.messages[0].content).toBe(text);
    expect(Buffer.from(history.messages[0].content, 'utf8').equals(Buffer.from(text, 'utf8'))).toBe(true);
    expect(history.history[0]).toBe(`Human: ${text}`);
    const found = await t.http().get('/api/session_names/').query({ q: '👩‍👩‍👧‍👦 🇩🇪' }).expect(200);
    expect(found.body.map((s: { session_id: string }) => s.session_id)).toEqual([reply.session_id]);
  });

  it('should parse every JSON media type it lets through', async () => {
    for (const type of ['application/json; charset=utf-8', 'application/vnd.x+json', 'application/merge-patch+json; charset=UTF-8']) {
      const res = await t.http().post('/api/generate/').set('Content-Type', type).send(JSON.stringify({ prompt: `typed ${type}` }));
      expect({ type, status: res.status }).toEqual({ type, status: 200 });
    }
  });

  it('should take the first and last moments both stores can hold', async () => {
    for (const query of ['since=0001-01-01', 'until=9999-12-31', 'until=9999-12-31T23:59:59.999Z', 'since=0001-01-01T00:00:00.000Z&until=9999-12-31T23:59Z']) {
      const res = await t.http().get(`/api/session_names/?${query}`);
      expect({ query, status: res.status }).toEqual({ query, status: 200 });
    }
    const within = await t.http().get('/api/session_names/').query({ since: '2000-01-01T00:00+14:00', until: '9999-12-31T23:59:59.999Z' }).expect(200);
    expect(within.body.map((s: { session_id: string }) => s.session_id)).toContain(keptId);
  });

  it('should refuse a null page bound rather than read it as a value', async () => {
    for (const extra of [{ limit: null }, { before_id: null }]) {
      const res = await t.http().post('/api/get_history/').send({ session_id: keptId, ...extra });
      expect({ extra, status: res.status, code: res.body.code }).toEqual({ extra, status: 400, code: 'validation_failed' });
    }
  });

  it('should take the largest offset and before_id the stores hold', async () => {
    expect((await t.http().get('/api/session_names/?offset=2147483647').expect(200)).body).toEqual([]);
    expect((await t.http().get('/api/session_names/?limit=1&offset=2147483647').expect(200)).body).toEqual([]);
    const page = await historyOf(t, keptId, { before_id: 2 ** 31 - 1, limit: 1 });
    expect(page.messages).toHaveLength(1);
  });
});
