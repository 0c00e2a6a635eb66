import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { Account, JWT_ENV, JWT_SECRET, register, sayAs } from '../support/auth-helpers';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Every route × every kind of caller, with the status each must get (AUTH_MODE=jwt). User A owns
 * the sessions and keys the routes name; user B and the admin are other users, so A's things are
 * unknown to them (404) on their own routes. Admin-only routes answer 403 to users.
 */
type Who = 'none' | 'malformed' | 'expired' | 'wrong signature' | 'revoked key' | 'user A' | 'user B' | 'admin';
const INVALID: Who[] = ['none', 'malformed', 'expired', 'wrong signature', 'revoked key'];

interface World {
  t: TestApp;
  a: Account;
  b: Account;
  admin: Account;
  aSession: string;
  aTemplate: string;
  aShare: string;
  headers: Record<Who, string | undefined>;
}

interface Route {
  readonly method: 'get' | 'post' | 'patch' | 'delete';
  /** The path, and the body when there is one, for a fresh copy of whatever the request changes. */
  readonly request: (w: World) => Promise<{ path: string; body?: object }>;
  /** Statuses for A, B and the admin. */
  readonly valid: [number, number, number];
  /** Open routes: the status for any caller, valid credentials or not. */
  readonly open?: number;
}

const ourFile = (name: string) => ({
  format: 'chat-sessions/1',
  sessions: [{ chat_name: name, created_at: '2025-01-01T00:00:00Z', messages: [{ sender: 'Human', content: `hello from ${name}`, timestamp: '2025-01-01T00:00:00Z' }] }],
});
const freshSessionOfA = async (w: World) => sayAs(w.t, w.a, 'a fresh session of A');
const shareOfA = async (w: World, sessionId: string) =>
  (await w.t.http().post(`/api/sessions/${sessionId}/share`).set('Authorization', w.a.auth).expect(201)).body.share_id as string;
const A_TEMPLATE = { name: 'A private template', system_prompt: 'Only for A.' };
const freshTemplateOfA = async (w: World) => (await w.t.http().post('/api/templates').set('Authorization', w.a.auth).send(A_TEMPLATE).expect(201)).body.id as string;
let counter = 0;

const ROUTES: Record<string, Route> = {
  'POST /api/generate (A session)': { method: 'post', request: async (w) => ({ path: '/api/generate', body: { prompt: 'hi', session_id: w.aSession } }), valid: [200, 404, 404] },
  'POST /api/generate (new session)': { method: 'post', request: async () => ({ path: '/api/generate/', body: { prompt: 'hi' } }), valid: [200, 200, 200] },
  'POST /api/generate/stream (A session)': { method: 'post', request: async (w) => ({ path: '/api/generate/stream', body: { prompt: 'hi', session_id: w.aSession } }), valid: [200, 404, 404] },
  'POST /api/get_history': { method: 'post', request: async (w) => ({ path: '/api/get_history', body: { session_id: w.aSession } }), valid: [200, 404, 404] },
  'POST /api/clear_history': { method: 'post', request: async (w) => ({ path: '/api/clear_history/', body: { session_id: await freshSessionOfA(w) } }), valid: [200, 404, 404] },
  'GET /api/session_names': { method: 'get', request: async () => ({ path: '/api/session_names' }), valid: [200, 200, 200] },
  'GET /api/search': { method: 'get', request: async () => ({ path: '/api/search?q=private' }), valid: [200, 200, 200] },
  'GET /api/session_names?all=true': { method: 'get', request: async () => ({ path: '/api/session_names/?all=true' }), valid: [403, 403, 200] },
  'DELETE /api/sessions/{id}': { method: 'delete', request: async (w) => ({ path: `/api/sessions/${await freshSessionOfA(w)}` }), valid: [204, 404, 404] },
  'GET /api/sessions/{id}': { method: 'get', request: async (w) => ({ path: `/api/sessions/${w.aSession}` }), valid: [200, 404, 404] },
  'PATCH /api/sessions/{id}': { method: 'patch', request: async (w) => ({ path: `/api/sessions/${w.aSession}`, body: { tags: ['mine'] } }), valid: [200, 404, 404] },
  'GET /api/session_names?archived=all&tag=mine': { method: 'get', request: async () => ({ path: '/api/session_names?archived=all&tag=mine' }), valid: [200, 200, 200] },
  'POST /api/sessions/bulk (dry run)': { method: 'post', request: async () => ({ path: '/api/sessions/bulk', body: { filter: { tag: 'nobody-has-this' }, action: 'archive', dry_run: true } }), valid: [200, 200, 200] },
  'POST /api/sessions/bulk (all_users)': {
    method: 'post',
    request: async () => ({ path: '/api/sessions/bulk/', body: { filter: { tag: 'nobody-has-this' }, action: 'archive', dry_run: true, all_users: true } }),
    valid: [403, 403, 200],
  },
  'GET /api/sessions/{id}/settings': { method: 'get', request: async (w) => ({ path: `/api/sessions/${w.aSession}/settings` }), valid: [200, 404, 404] },
  'PATCH /api/sessions/{id}/settings': { method: 'patch', request: async (w) => ({ path: `/api/sessions/${w.aSession}/settings`, body: { temperature: 0.5 } }), valid: [200, 404, 404] },
  'GET /api/sessions/{id}/context': { method: 'get', request: async (w) => ({ path: `/api/sessions/${w.aSession}/context` }), valid: [200, 404, 404] },
  'GET /api/sessions/{id}/export': { method: 'get', request: async (w) => ({ path: `/api/sessions/${w.aSession}/export?format=markdown` }), valid: [200, 404, 404] },
  'GET /api/export': { method: 'get', request: async () => ({ path: '/api/export' }), valid: [200, 200, 200] },
  'POST /api/sessions/import': { method: 'post', request: async () => ({ path: '/api/sessions/import', body: ourFile(`imported ${++counter}`) }), valid: [201, 201, 201] },
  'POST /api/sessions/import?dry_run=true': { method: 'post', request: async () => ({ path: '/api/sessions/import/?dry_run=true', body: ourFile('dry') }), valid: [200, 200, 200] },
  'GET /api/sessions': { method: 'get', request: async () => ({ path: '/api/sessions' }), valid: [403, 403, 200] },
  'GET /api/session_stats': { method: 'get', request: async () => ({ path: '/api/session_stats/' }), valid: [403, 403, 200] },
  'GET /api/analytics/usage': { method: 'get', request: async () => ({ path: '/api/analytics/usage?granularity=day' }), valid: [403, 403, 200] },
  'POST /api/cleanup_sessions': { method: 'post', request: async () => ({ path: '/api/cleanup_sessions', body: { dry_run: true } }), valid: [403, 403, 200] },
  'GET /api/templates': { method: 'get', request: async () => ({ path: '/api/templates' }), valid: [200, 200, 200] },
  'POST /api/templates': { method: 'post', request: async () => ({ path: '/api/templates/', body: A_TEMPLATE }), valid: [201, 201, 201] },
  'GET /api/templates/{id}': { method: 'get', request: async (w) => ({ path: `/api/templates/${w.aTemplate}` }), valid: [200, 404, 404] },
  'GET /api/templates/{built-in id}': { method: 'get', request: async () => ({ path: '/api/templates/code-reviewer' }), valid: [200, 200, 200] },
  'PATCH /api/templates/{id}': { method: 'patch', request: async (w) => ({ path: `/api/templates/${w.aTemplate}`, body: { category: 'mine' } }), valid: [200, 404, 404] },
  'DELETE /api/templates/{id}': { method: 'delete', request: async (w) => ({ path: `/api/templates/${await freshTemplateOfA(w)}` }), valid: [204, 404, 404] },
  'POST /api/generate (A template)': { method: 'post', request: async (w) => ({ path: '/api/generate', body: { prompt: 'hi', template_id: w.aTemplate } }), valid: [200, 404, 404] },
  'POST /api/sessions/{id}/share': { method: 'post', request: async (w) => ({ path: `/api/sessions/${w.aSession}/share` }), valid: [201, 404, 404] },
  'DELETE /api/sessions/{id}/share/{share_id}': {
    method: 'delete',
    request: async (w) => ({ path: `/api/sessions/${w.aSession}/share/${await shareOfA(w, w.aSession)}` }),
    valid: [204, 404, 404],
  },
  'GET /api/shared/{share_id}': { method: 'get', request: async (w) => ({ path: `/api/shared/${w.aShare}` }), valid: [200, 200, 200], open: 200 },
  'POST /api/shared/{share_id}/continue': { method: 'post', request: async (w) => ({ path: `/api/shared/${w.aShare}/continue` }), valid: [201, 201, 201] },
  'GET /api/auth/me': { method: 'get', request: async () => ({ path: '/api/auth/me' }), valid: [200, 200, 200] },
  'GET /api/auth/keys': { method: 'get', request: async () => ({ path: '/api/auth/keys' }), valid: [200, 200, 200] },
  'POST /api/auth/keys': { method: 'post', request: async () => ({ path: '/api/auth/keys', body: { name: 'k' } }), valid: [201, 201, 201] },
  'DELETE /api/auth/keys/{id}': {
    method: 'delete',
    request: async (w) => {
      const key = await w.t.http().post('/api/auth/keys').set('Authorization', w.a.auth).send({ name: 'victim' }).expect(201);
      return { path: `/api/auth/keys/${key.body.id}` };
    },
    valid: [204, 404, 404],
  },
  'GET /api/users': { method: 'get', request: async () => ({ path: '/api/users' }), valid: [403, 403, 200] },
  'PATCH /api/users/{id}': { method: 'patch', request: async (w) => ({ path: `/api/users/${w.b.id}`, body: { role: 'user' } }), valid: [403, 403, 200] },
  'DELETE /api/users/{id}': {
    method: 'delete',
    request: async (w) => ({ path: `/api/users/${(await register(w.t, `victim${++counter}`)).id}` }),
    valid: [403, 403, 204],
  },
  'GET /api/auth/config': { method: 'get', request: async () => ({ path: '/api/auth/config' }), valid: [200, 200, 200], open: 200 },
  'POST /api/auth/register': { method: 'post', request: async () => ({ path: '/api/auth/register', body: { username: `new${++counter}`, password: 'long enough' } }), valid: [201, 201, 201], open: 201 },
  'POST /api/auth/login': { method: 'post', request: async () => ({ path: '/api/auth/login', body: { username: 'user-a', password: 'password of a' } }), valid: [200, 200, 200], open: 200 },
  'GET /api/health': { method: 'get', request: async () => ({ path: '/api/health' }), valid: [200, 200, 200], open: 200 },
  'GET /api/health/live': { method: 'get', request: async () => ({ path: '/api/health/live' }), valid: [200, 200, 200], open: 200 },
  'GET /api/health/ready': { method: 'get', request: async () => ({ path: '/api/health/ready' }), valid: [200, 200, 200], open: 200 },
  'GET /api/docs-json': { method: 'get', request: async () => ({ path: '/api/docs-json' }), valid: [200, 200, 200], open: 200 },
};

function expected(route: Route, who: Who): number {
  if (route.open !== undefined && INVALID.includes(who)) return route.open;
  const valid: Partial<Record<Who, number>> = { 'user A': route.valid[0], 'user B': route.valid[1], admin: route.valid[2] };
  return valid[who] ?? 401;
}

const WHO: Who[] = [...INVALID, 'user A', 'user B', 'admin'];
const CASES = Object.entries(ROUTES).flatMap(([name, route]) => WHO.map((who) => [name, who, expected(route, who)] as const));

describe('the authorization matrix (AUTH_MODE=jwt)', () => {
  const w = {} as World;

  beforeAll(async () => {
    w.t = await createTestApp({ env: JWT_ENV });
    w.admin = await register(w.t, 'the-admin');
    w.a = await register(w.t, 'user-a', 'password of a');
    w.b = await register(w.t, 'user-b');
    w.aSession = await sayAs(w.t, w.a, 'A private conversation');
    w.aTemplate = await freshTemplateOfA(w);
    // Its own session: viewers continue it, and "private" must stay A's alone in searches.
    w.aShare = await shareOfA(w, await sayAs(w.t, w.a, 'A shared conversation'));
    const key = await w.t.http().post('/api/auth/keys').set('Authorization', w.a.auth).send({ name: 'soon revoked' }).expect(201);
    await w.t.http().delete(`/api/auth/keys/${key.body.id}`).set('Authorization', w.a.auth).expect(204);
    const now = Math.floor(Date.now() / 1000);
    w.headers = {
      none: undefined,
      malformed: 'Bearer not-a-token',
      expired: `Bearer ${jwt.sign({ sub: w.a.id, iat: now - 7200, exp: now - 3600 }, JWT_SECRET)}`,
      'wrong signature': `Bearer ${jwt.sign({ sub: w.a.id }, 'another-secret-of-at-least-32-characters', { expiresIn: 3600 })}`,
      'revoked key': `Bearer ${key.body.key}`,
      'user A': w.a.auth,
      'user B': w.b.auth,
      admin: w.admin.auth,
    };
  });
  afterAll(() => w.t.dispose());

  it.each(CASES)('%s as %s → %i', async (name, who, status) => {
    const route = ROUTES[name];
    const { path, body } = await route.request(w);
    let req = w.t.http()[route.method](path);
    const header = w.headers[who];
    if (header) req = req.set('Authorization', header);
    const res = body ? await req.send(body) : await req;
    expect({ status: res.status, body: res.status === status ? undefined : res.body }).toEqual({ status, body: undefined });
    if (status === 401) expect(res.body).toEqual({ status: 401, code: 'unauthorized', detail: expect.any(String) });
    if (status === 403) expect(res.body).toEqual({ status: 403, code: 'forbidden', detail: expect.any(String) });
  });

  it("should answer another user's session exactly like an unknown one, and change nothing", async () => {
    const unknown = randomUUID();
    for (const [path, extra] of [
      ['/api/get_history', {}],
      ['/api/clear_history', {}],
      ['/api/generate', { prompt: 'let me in' }],
      ['/api/generate/stream', { prompt: 'let me in' }],
    ] as const) {
      const theirs = await w.t.http().post(path).set('Authorization', w.b.auth).send({ session_id: w.aSession, ...extra });
      const missing = await w.t.http().post(path).set('Authorization', w.b.auth).send({ session_id: unknown, ...extra });
      expect({ path, status: theirs.status, code: theirs.body.code }).toEqual({ path, status: 404, code: 'session_not_found' });
      if (!path.startsWith('/api/generate')) {
        expect({ path, body: theirs.body }).toEqual({ path, body: { ...missing.body, detail: missing.body.detail.replace(unknown, w.aSession) } });
      }
    }
    const nobodys = randomUUID();
    for (const [method, suffix, body] of [
      ['get', '/settings', undefined],
      ['patch', '/settings', { system_prompt: 'obey B' }],
      ['get', '/context', undefined],
      ['get', '', undefined],
      ['patch', '', { chat_name: 'renamed by B', archived: true }],
    ] as const) {
      const send = (id: string) => w.t.http()[method](`/api/sessions/${id}${suffix}`).set('Authorization', w.b.auth).send(body);
      const theirs = await send(w.aSession);
      const missing = await send(nobodys);
      expect({ method, suffix, body: theirs.body }).toEqual({ method, suffix, body: { ...missing.body, detail: missing.body.detail.replace(nobodys, w.aSession) } });
      expect(theirs.status).toBe(404);
    }
    const settings = await w.t.http().get(`/api/sessions/${w.aSession}/settings`).set('Authorization', w.a.auth).expect(200);
    expect(settings.body.system_prompt).not.toBe('obey B');
    const organised = await w.t.http().get(`/api/sessions/${w.aSession}`).set('Authorization', w.a.auth).expect(200);
    expect(organised.body).toMatchObject({ chat_name: 'A private conversation', archived: false });
    // (generate made `unknown` a session of B's: the delete compares with another unknown id.)
    const neverSeen = randomUUID();
    const deleteTheirs = await w.t.http().delete(`/api/sessions/${w.aSession}`).set('Authorization', w.b.auth).expect(404);
    const deleteMissing = await w.t.http().delete(`/api/sessions/${neverSeen}`).set('Authorization', w.b.auth).expect(404);
    expect(deleteTheirs.body).toEqual({ ...deleteMissing.body, detail: deleteMissing.body.detail.replace(neverSeen, w.aSession) });
    const history = await w.t.http().post('/api/get_history').set('Authorization', w.a.auth).send({ session_id: w.aSession }).expect(200);
    expect(history.body.history.join('\n')).not.toContain('let me in');
    expect(history.body.history[0]).toBe('Human: A private conversation');
  });

  it('should import into the caller\'s own sessions, and export only the caller\'s', async () => {
    const imported = await w.t.http().post('/api/sessions/import').set('Authorization', w.b.auth).send(ourFile('B brought this in')).expect(201);
    const [id] = imported.body.session_ids as string[];
    const list = async (account: Account) =>
      ((await w.t.http().get('/api/session_names').set('Authorization', account.auth).expect(200)).body as { session_id: string }[]).map((s) => s.session_id);
    expect(await list(w.b)).toContain(id);
    expect(await list(w.a)).not.toContain(id);
    await w.t.http().get(`/api/sessions/${id}/export`).set('Authorization', w.a.auth).expect(404);
    const exportOf = async (account: Account) =>
      ((await w.t.http().get('/api/export').set('Authorization', account.auth).expect(200)).body.sessions as { id: string }[]).map((s) => s.id);
    const ofB = await exportOf(w.b);
    expect(ofB).toContain(id);
    expect(ofB).not.toContain(w.aSession);
    expect(await exportOf(w.a)).toContain(w.aSession);
    expect(await exportOf(w.a)).not.toContain(id);
  });

  it("should list only the caller's own sessions, even for an admin, unless the admin asks for all", async () => {
    const names = async (account: Account, query = '') =>
      (await w.t.http().get(`/api/session_names${query}`).set('Authorization', account.auth).expect(200)).body.map((s: { session_id: string }) => s.session_id);
    expect(await names(w.a)).toContain(w.aSession);
    expect(await names(w.b)).not.toContain(w.aSession);
    expect(await names(w.admin)).not.toContain(w.aSession);
    expect(await names(w.admin, '?all=true')).toContain(w.aSession);
    await w.t.http().patch(`/api/sessions/${w.aSession}`).set('Authorization', w.a.auth).send({ tags: ['mine'] }).expect(200);
    const tagged = await w.t.http().get('/api/session_names?tag=mine&archived=all').set('Authorization', w.b.auth).expect(200);
    expect({ body: tagged.body, total: tagged.headers['x-total-count'] }).toEqual({ body: [], total: '0' });
    const searched = await w.t.http().get('/api/session_names?q=private').set('Authorization', w.b.auth).expect(200);
    expect({ body: searched.body, total: searched.headers['x-total-count'] }).toEqual({ body: [], total: '0' });
    const found = async (account: Account) => (await w.t.http().get('/api/search?q=private').set('Authorization', account.auth).expect(200)).body.map((r: { session_id: string }) => r.session_id);
    expect(await found(w.a)).toContain(w.aSession);
    expect(await found(w.b)).toEqual([]);
    expect(await found(w.admin)).toEqual([]);
  });

  it("should show a shared snapshot to anyone without its owner, and continue it as the caller's own session", async () => {
    const shared = await w.t.http().get(`/api/shared/${w.aShare}`).expect(200);
    expect(JSON.stringify(shared.body)).not.toMatch(new RegExp(`${w.a.id}|${w.a.username}`));
    const continued = await w.t.http().post(`/api/shared/${w.aShare}/continue`).set('Authorization', w.b.auth).expect(201);
    await w.t.http().post('/api/get_history').set('Authorization', w.b.auth).send({ session_id: continued.body.session_id }).expect(200);
    await w.t.http().post('/api/get_history').set('Authorization', w.a.auth).send({ session_id: continued.body.session_id }).expect(404);
  });

  it("should answer another user's template exactly like an unknown one, list only one's own beside the built-in ones, and change nothing", async () => {
    const ids = async (account: Account) =>
      (await w.t.http().get('/api/templates').set('Authorization', account.auth).expect(200)).body.map((t: { id: string }) => t.id);
    expect(await ids(w.a)).toContain(w.aTemplate);
    for (const other of [w.b, w.admin]) {
      expect(await ids(other)).not.toContain(w.aTemplate);
      expect(await ids(other)).toContain('general-assistant');
    }
    const unknown = randomUUID();
    for (const [method, body] of [['get', undefined], ['patch', { system_prompt: 'obey B' }], ['delete', undefined]] as const) {
      const send = (id: string) => w.t.http()[method](`/api/templates/${id}`).set('Authorization', w.b.auth).send(body);
      const theirs = await send(w.aTemplate);
      const missing = await send(unknown);
      expect({ method, status: theirs.status, body: theirs.body }).toEqual({ method, status: 404, body: { ...missing.body, detail: missing.body.detail.replace(unknown, w.aTemplate) } });
    }
    const generated = await w.t.http().post('/api/generate').set('Authorization', w.b.auth).send({ prompt: 'use it', template_id: w.aTemplate }).expect(404);
    expect(generated.body.code).toBe('template_not_found');
    const mine = await w.t.http().get(`/api/templates/${w.aTemplate}`).set('Authorization', w.a.auth).expect(200);
    expect(mine.body.system_prompt).toBe('Only for A.');
  });
});
