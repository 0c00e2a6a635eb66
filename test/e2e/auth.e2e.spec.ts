import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { loadConfig } from '../../src/config/load-config';
import { JWT_ENV, JWT_SECRET, register, sayAs } from '../support/auth-helpers';
import { createTestApp, TestApp } from '../support/test-app';

describe('AUTH_MODE and its configuration', () => {
  it('should default to off, listening on 127.0.0.1 unless HOST says otherwise', () => {
    expect(loadConfig({}).auth.mode).toBe('off');
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    expect(loadConfig(JWT_ENV).host).toBeUndefined();
  });

  it('should refuse jwt mode without JWT_SECRET, or with a short one, naming the variable', () => {
    expect(() => loadConfig({ AUTH_MODE: 'jwt' })).toThrow(/JWT_SECRET/);
    expect(() => loadConfig({ AUTH_MODE: 'jwt', JWT_SECRET: 'short' })).toThrow(/JWT_SECRET.*32/);
    expect(() => loadConfig({ AUTH_MODE: 'ldap' })).toThrow(/AUTH_MODE/);
    expect(() => loadConfig({ ALLOW_REGISTRATION: 'maybe' })).toThrow(/ALLOW_REGISTRATION/);
  });
});

describe('AUTH_MODE=off', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { AUTH_MODE: 'off' } });
  });
  afterAll(() => t.dispose());

  it('should answer every route without a token, as the implicit local admin', async () => {
    expect((await t.http().get('/api/auth/config').expect(200)).body).toEqual({ mode: 'off', sso: null });
    expect((await t.http().get('/api/auth/me').expect(200)).body).toEqual({ id: 'local', username: 'local', role: 'admin' });
    await t.http().get('/api/session_stats').expect(200);
    await t.http().get('/api/sessions').expect(200);
  });

  it('should answer the account routes 404 auth_disabled', async () => {
    const res = await t.http().post('/api/auth/register').send({ username: 'alice', password: 'long enough' }).expect(404);
    expect(res.body).toMatchObject({ status: 404, code: 'auth_disabled', detail: expect.stringContaining('AUTH_MODE') });
    await t.http().post('/api/auth/login').send({ username: 'alice', password: 'long enough' }).expect(404);
    await t.http().get('/api/auth/keys').expect(404);
    await t.http().get('/api/users').expect(404);
  });
});

describe('AUTH_MODE=jwt: accounts', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: JWT_ENV });
  });
  afterAll(() => t.dispose());

  it('should say the mode, openly', async () => {
    expect((await t.http().get('/api/auth/config').expect(200)).body).toEqual({ mode: 'jwt', sso: null });
  });

  it('should make the first account admin and later ones users, with a token that works', async () => {
    const first = await register(t, 'First.Admin');
    expect(first).toMatchObject({ username: 'first.admin', role: 'admin' });
    const second = await register(t, 'second');
    expect(second.role).toBe('user');
    expect((await t.http().get('/api/auth/me').set('Authorization', second.auth).expect(200)).body).toEqual({ id: second.id, username: 'second', role: 'user' });
    const decoded = jwt.verify(second.token, JWT_SECRET) as jwt.JwtPayload;
    expect(decoded).toMatchObject({ sub: second.id });
    expect(decoded.exp! - decoded.iat!).toBe(3600);
  });

  it('should refuse a taken username (without case) with 409, and bad usernames and short passwords with 400', async () => {
    await register(t, 'taken');
    expect((await t.http().post('/api/auth/register').send({ username: 'TAKEN', password: 'long enough' }).expect(409)).body.code).toBe('username_taken');
    const short = await t.http().post('/api/auth/register').send({ username: 'shorty', password: 'seven77' }).expect(400);
    expect(short.body.errors).toEqual([{ field: 'password', messages: [expect.any(String)] }]);
    await t.http().post('/api/auth/register').send({ username: 'a b', password: 'long enough' }).expect(400);
    await t.http().post('/api/auth/register').send({ username: 'ab', password: 'long enough' }).expect(400);
    await t.http().post('/api/auth/register').send({ username: 'x'.repeat(65), password: 'long enough' }).expect(400);
  });

  it('should sign in with the password, and refuse a wrong password or an unknown user alike', async () => {
    await register(t, 'carol', 'carols password');
    const ok = await t.http().post('/api/auth/login').send({ username: 'Carol', password: 'carols password' }).expect(200);
    expect(ok.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 3600 });
    await t.http().get('/api/auth/me').set('Authorization', `Bearer ${ok.body.access_token}`).expect(200);
    const wrong = await t.http().post('/api/auth/login').send({ username: 'carol', password: 'not it at all' }).expect(401);
    const unknown = await t.http().post('/api/auth/login').send({ username: 'nobody', password: 'not it at all' }).expect(401);
    expect(wrong.body).toEqual({ status: 401, code: 'unauthorized', detail: expect.any(String) });
    expect(unknown.body.detail).toBe(wrong.body.detail);
  });

  it('should slow down repeated failures for one username with 429 and Retry-After', async () => {
    await register(t, 'dave', 'daves password');
    for (let i = 0; i < 5; i++) await t.http().post('/api/auth/login').send({ username: 'dave', password: `wrong ${i} guess` }).expect(401);
    const limited = await t.http().post('/api/auth/login').send({ username: 'dave', password: 'daves password' }).expect(429);
    expect(limited.body.code).toBe('too_many_attempts');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Another username from the same address is not locked out by dave's failures.
    await t.http().post('/api/auth/login').send({ username: 'carol', password: 'carols password' }).expect(200);
  });

  it('should answer 401 with a detail on a protected route without a valid token', async () => {
    const none = await t.http().get('/api/session_names').expect(401);
    expect(none.body).toEqual({ status: 401, code: 'unauthorized', detail: expect.stringContaining('Bearer') });
    expect(none.headers['www-authenticate']).toBe('Bearer');
    await t.http().get('/api/session_names').set('Authorization', 'Bearer not.a.token').expect(401);
    await t.http().get('/api/session_names').set('Authorization', 'Basic abc').expect(401);
  });

  it('should keep health open', async () => {
    await t.http().get('/api/health/live').expect(200);
    await t.http().get('/api/health').expect(200);
  });

  it('should refuse registration with 403 when ALLOW_REGISTRATION=false', async () => {
    const closed = await createTestApp({ env: { ...JWT_ENV, ALLOW_REGISTRATION: 'false' } });
    try {
      const res = await closed.http().post('/api/auth/register').send({ username: 'eve', password: 'long enough' }).expect(403);
      expect(res.body.code).toBe('forbidden');
    } finally {
      await closed.dispose();
    }
  });
});

describe('AUTH_MODE=jwt: API keys', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: JWT_ENV });
  });
  afterAll(() => t.dispose());

  it('should create a key shown once, list it without the key, act as its owner, and refuse it once revoked', async () => {
    const owner = await register(t, 'owner');
    const other = await register(t, 'other');
    const created = await t.http().post('/api/auth/keys').set('Authorization', owner.auth).send({ name: 'ci' }).expect(201);
    expect(created.body).toEqual({ id: expect.any(String), name: 'ci', key: expect.stringMatching(/^csk_[A-Za-z0-9_-]{43}$/) });
    const key = `Bearer ${created.body.key}`;
    expect((await t.http().get('/api/auth/me').set('Authorization', key).expect(200)).body.id).toBe(owner.id);
    const listed = await t.http().get('/api/auth/keys').set('Authorization', owner.auth).expect(200);
    expect(listed.body).toEqual([{ id: created.body.id, name: 'ci', created_at: expect.any(String), last_used_at: expect.any(String) }]);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.key);
    // Someone else can neither see nor revoke it.
    expect((await t.http().get('/api/auth/keys').set('Authorization', other.auth).expect(200)).body).toEqual([]);
    expect((await t.http().delete(`/api/auth/keys/${created.body.id}`).set('Authorization', other.auth).expect(404)).body.code).toBe('api_key_not_found');
    const session = await sayAs(t, { auth: key }, 'from a program');
    await t.http().post('/api/get_history').set('Authorization', owner.auth).send({ session_id: session }).expect(200);
    await t.http().delete(`/api/auth/keys/${created.body.id}`).set('Authorization', owner.auth).expect(204);
    await t.http().get('/api/auth/me').set('Authorization', key).expect(401);
    await t.http().delete(`/api/auth/keys/${created.body.id}`).set('Authorization', owner.auth).expect(404);
  });

  it('should refuse a key-shaped token that was never issued', async () => {
    await t.http().get('/api/auth/me').set('Authorization', `Bearer csk_${'A'.repeat(43)}`).expect(401);
  });
});

describe('AUTH_MODE=jwt: users, for admins', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: JWT_ENV });
  });
  afterAll(() => t.dispose());

  it('should page users, change roles, keep the last admin, and delete a user with their sessions', async () => {
    const admin = await register(t, 'admin');
    const bob = await register(t, 'bob');
    const cat = await register(t, 'cat');
    await t.http().get('/api/users').set('Authorization', bob.auth).expect(403);
    const page = await t.http().get('/api/users?limit=2&offset=1').set('Authorization', admin.auth).expect(200);
    expect(page.headers['x-total-count']).toBe('3');
    expect(page.body.map((u: { username: string }) => u.username)).toEqual(['bob', 'cat']);

    const demoteSelf = await t.http().patch(`/api/users/${admin.id}`).set('Authorization', admin.auth).send({ role: 'user' }).expect(409);
    expect(demoteSelf.body).toMatchObject({ code: 'last_admin', detail: expect.any(String) });
    await t.http().delete(`/api/users/${admin.id}`).set('Authorization', admin.auth).expect(409);
    expect((await t.http().patch(`/api/users/${bob.id}`).set('Authorization', admin.auth).send({ role: 'admin' }).expect(200)).body.role).toBe('admin');
    // The role takes effect at once: bob's old token is an admin's now.
    await t.http().get('/api/users').set('Authorization', bob.auth).expect(200);
    await t.http().patch(`/api/users/${randomUUID()}`).set('Authorization', admin.auth).send({ role: 'user' }).expect(404);
    await t.http().patch(`/api/users/${bob.id}`).set('Authorization', admin.auth).send({ role: 'root' }).expect(400);

    const catSession = await sayAs(t, cat, 'cat writes');
    await sayAs(t, cat, 'and again', catSession);
    await sayAs(t, admin, 'admin writes');
    await t.http().delete(`/api/users/${cat.id}`).set('Authorization', admin.auth).expect(204);
    await t.http().get('/api/auth/me').set('Authorization', cat.auth).expect(401);
    const all = await t.http().get('/api/session_names?all=true').set('Authorization', admin.auth).expect(200);
    expect(all.body.map((s: { chat_name: string }) => s.chat_name)).toEqual(['admin writes']);
    const stats = (await t.http().get('/api/session_stats').set('Authorization', admin.auth).expect(200)).body.stats;
    expect({ sessions: stats.total_sessions, messages: stats.total_messages }).toEqual({ sessions: 1, messages: 2 });
    await t.http().delete(`/api/users/${cat.id}`).set('Authorization', admin.auth).expect(404);
  });
});
