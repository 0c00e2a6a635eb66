import { historyOf, say } from '../support/http-helpers';
import { createTestApp, TestApp } from '../support/test-app';

interface Attack {
  name: string;
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  body?: string | object;
  type?: string;
  headers?: Record<string, string>;
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
];

describe('hostile input', () => {
  let t: TestApp;
  let keptId: string;

  beforeAll(async () => {
    t = await createTestApp();
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
    const text = `He said "hi" & 'bye' <img src=x onerror=alert(1)> \\ 👩‍👩‍👧‍👦 🇩🇪 \u202Eevil\u202C \u200F שלום \u0000\u0001\u0007\u001b[31m \r\n\t end`;
    const reply = await say(t, text);
    const history = await historyOf(t, reply.session_id);
    expect(history.messages[0].content).toBe(text);
    expect(Buffer.from(history.messages[0].content, 'utf8').equals(Buffer.from(text, 'utf8'))).toBe(true);
    expect(history.history[0]).toBe(`Human: ${text}`);
  });
});
