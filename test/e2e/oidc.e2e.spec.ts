import { createServer, Server, Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { PendingSignIn, SingleSignOn, SsoIdentity } from '../../src/auth/domain/single-sign-on';
import { JWT_ENV, register } from '../support/auth-helpers';
import { CookieJar, OidcProvider } from '../support/oidc-provider';
import { createTestApp, TestApp } from '../support/test-app';

const CLIENT = 'http://127.0.0.1:9/';
const REDIRECT_URI = `${CLIENT}api/auth/oidc/callback`;
const OIDC = { OIDC_CLIENT_ID: 'chat-sessions', OIDC_CLIENT_SECRET: 'a client secret for the tests', OIDC_REDIRECT_URL: REDIRECT_URI };
const ADMINS = 'chat-admins';

/** Our login, the provider's pages (signing in as `subject`, or declining without one), back to our callback's redirect. */
async function signIn(t: TestApp, jar: CookieJar, subject: string | undefined, accept = 'application/json') {
  const login = await t.http().get('/api/auth/oidc/login').expect(302);
  jar.keep(login.headers['set-cookie']);
  let url: string = login.headers.location;
  for (let hops = 0; !url.startsWith(REDIRECT_URI); hops++) {
    if (hops > 10) throw new Error(`Too many redirects at the provider, last ${url}`);
    const interaction = new URL(url).pathname.startsWith('/interaction/');
    const { location } = await jar.visit(interaction && subject ? `${url}?login=${encodeURIComponent(subject)}` : url);
    if (!location) throw new Error(`The provider stopped at ${url}`);
    url = location;
  }
  const callback = new URL(url);
  return t.http().get(callback.pathname + callback.search).set('Cookie', jar.header()).set('Accept', accept);
}

/** The token of a successful sign-in, from the client address it redirects to. */
function tokenOf(res: { status: number; headers: Record<string, string>; body: unknown }): string {
  const match = /^http:\/\/127\.0\.0\.1:9\/#access_token=([^&]+)$/.exec(res.headers.location ?? '');
  if (res.status !== 302 || !match) throw new Error(`No token: ${res.status} ${res.headers.location} ${JSON.stringify(res.body)}`);
  return decodeURIComponent(match[1]);
}

async function me(t: TestApp, token: string) {
  return (await t.http().get('/api/auth/me').set('Authorization', `Bearer ${token}`).expect(200)).body as { id: string; username: string; role: string };
}

describe('single sign-on with OpenID Connect', () => {
  let provider: OidcProvider;
  let t: TestApp;

  beforeAll(async () => {
    provider = await OidcProvider.start({
      clientId: OIDC.OIDC_CLIENT_ID,
      clientSecret: OIDC.OIDC_CLIENT_SECRET,
      redirectUri: REDIRECT_URI,
      accounts: {
        'alice-sub': { preferred_username: 'Alice', email: 'alice@example.com', groups: ['staff'] },
        'bob-sub': { email: 'bob@example.com', groups: ['staff', ADMINS] },
        'carol-sub': { preferred_username: 'carol', groups: 'staff' },
      },
    });
    t = await createTestApp({ env: { ...JWT_ENV, ...OIDC, OIDC_ISSUER: provider.issuer, OIDC_ADMIN_GROUP: ADMINS, OIDC_PROVIDER_NAME: 'Test ID' } });
    // A password admin first: the SSO accounts are not the first account, so their roles come from the groups.
    await register(t, 'root');
  }, 30_000);
  afterAll(async () => {
    await t?.dispose();
    await provider?.stop();
  });

  it('should say in the open configuration where single sign-on starts', async () => {
    expect((await t.http().get('/api/auth/config').expect(200)).body).toEqual({ mode: 'jwt', sso: { name: 'Test ID', login_url: '/api/auth/oidc/login' } });
  });

  it('should send the browser to the provider with a state and a PKCE challenge, kept in a signed HttpOnly cookie', async () => {
    const res = await t.http().get('/api/auth/oidc/login').expect(302);
    const to = new URL(res.headers.location);
    expect(to.origin).toBe(provider.issuer);
    expect(Object.fromEntries(to.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: OIDC.OIDC_CLIENT_ID,
      redirect_uri: REDIRECT_URI,
      code_challenge_method: 'S256',
      code_challenge: expect.stringMatching(/^[\w-]{43}$/),
      state: expect.any(String),
      scope: expect.stringContaining('openid'),
    });
    const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('oidc_login='));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\/api\/auth\/oidc/);
    // The verifier is not in the cookie in clear, nor is the state unsigned.
    expect(cookie).not.toContain(to.searchParams.get('state'));
  });

  it('should create the account on the first sign-in, with a token that works, and link the next sign-in to it', async () => {
    const first = await me(t, tokenOf(await signIn(t, new CookieJar(), 'alice-sub')));
    expect(first).toEqual({ id: expect.any(String), username: 'alice', role: 'user' });
    const again = await me(t, tokenOf(await signIn(t, new CookieJar(), 'alice-sub')));
    expect(again).toEqual(first);
    // The same provider session (a browser still signed in there) works as well.
    const jar = new CookieJar();
    tokenOf(await signIn(t, jar, 'alice-sub'));
    expect((await me(t, tokenOf(await signIn(t, jar, undefined)))).id).toBe(first.id);
  });

  it('should name an account after the email without preferred_username, and never take over an account by its name', async () => {
    await register(t, 'carol');
    const carol = await me(t, tokenOf(await signIn(t, new CookieJar(), 'carol-sub')));
    expect(carol.username).toBe('carol-2');
    const bob = await me(t, tokenOf(await signIn(t, new CookieJar(), 'bob-sub')));
    expect(bob.username).toBe('bob@example.com');
  });

  it('should make members of OIDC_ADMIN_GROUP admins, and follow the group at every sign-in', async () => {
    const bob = await me(t, tokenOf(await signIn(t, new CookieJar(), 'bob-sub')));
    expect(bob.role).toBe('admin');
    await provider.setAccount('bob-sub', { email: 'bob@example.com', groups: ['staff'] });
    const demoted = await me(t, tokenOf(await signIn(t, new CookieJar(), 'bob-sub')));
    expect(demoted).toEqual({ ...bob, role: 'user' });
    await provider.setAccount('bob-sub', { email: 'bob@example.com', groups: ['staff', ADMINS] });
  });

  it('should refuse a callback whose state was tampered with, or that comes without its cookie', async () => {
    const login = await t.http().get('/api/auth/oidc/login').expect(302);
    const jar = new CookieJar();
    jar.keep(login.headers['set-cookie']);
    const state = new URL(login.headers.location).searchParams.get('state')!;
    const forged = await t.http().get(`/api/auth/oidc/callback?code=abc&state=${state}x`).set('Cookie', jar.header()).expect(400);
    expect(forged.body).toEqual({ status: 400, code: 'sso_invalid_state', detail: expect.stringContaining('state') });
    await t.http().get(`/api/auth/oidc/callback?code=abc&state=${state}`).expect(400);
    const sealed = jar.get('oidc_login')!;
    const tampered = `${sealed.slice(0, 10)}${sealed[10] === 'A' ? 'B' : 'A'}${sealed.slice(11)}`;
    const res = await t.http().get(`/api/auth/oidc/callback?code=abc&state=${state}`).set('Cookie', `oidc_login=${tampered}`).expect(400);
    expect(res.body.code).toBe('sso_invalid_state');
  });

  it('should answer a declined sign-in with 401 and a detail, and send a browser back to the client with the error', async () => {
    const declined = await signIn(t, new CookieJar(), undefined);
    expect(declined.status).toBe(401);
    expect(declined.body).toEqual({ status: 401, code: 'sso_denied', detail: expect.stringContaining('access_denied') });
    const page = await signIn(t, new CookieJar(), undefined, 'text/html,application/xhtml+xml,*/*;q=0.8');
    expect(page.status).toBe(302);
    expect(page.headers.location).toMatch(/^http:\/\/127\.0\.0\.1:9\/#sso_error=.*access_denied/);
  });
});

describe('single sign-on against a provider that is down', () => {
  let silent: Server;
  const sockets = new Set<Socket>();

  beforeAll(async () => {
    // Accepts connections and never answers: only a deadline ends the wait.
    silent = createServer((socket) => sockets.add(socket.on('close', () => sockets.delete(socket))));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  async function loginAgainst(issuer: string) {
    const t = await createTestApp({ env: { ...JWT_ENV, ...OIDC, OIDC_ISSUER: issuer, OIDC_TIMEOUT_MS: '500' } });
    try {
      const started = Date.now();
      const res = await t.http().get('/api/auth/oidc/login');
      return { res, ms: Date.now() - started };
    } finally {
      await t.dispose();
    }
  }

  it('should answer 503 with a detail when the provider cannot be reached', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const { res } = await loginAgainst(`http://127.0.0.1:${port}`);
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ status: 503, code: 'sso_unavailable', detail: expect.stringContaining('cannot be reached') });
  });

  it('should answer 504 within the deadline when the provider does not answer', async () => {
    const { port } = silent.address() as AddressInfo;
    const { res, ms } = await loginAgainst(`http://127.0.0.1:${port}`);
    expect(res.status).toBe(504);
    expect(res.body).toEqual({ status: 504, code: 'sso_timeout', detail: expect.stringContaining('500 ms') });
    expect(ms).toBeLessThan(5_000);
  });
});

/** Says whoever the test sets has signed in, for cases a real provider cannot easily produce. */
class ScriptedSingleSignOn extends SingleSignOn {
  identity: SsoIdentity = { issuer: 'https://one.example.com', subject: 'same', nameHint: 'sam', groups: [] };

  start(): Promise<{ url: string; pending: PendingSignIn }> {
    return Promise.resolve({ url: 'https://one.example.com/authorize', pending: { state: 'st', codeVerifier: 'v', nonce: 'n' } });
  }

  finish(): Promise<SsoIdentity> {
    return Promise.resolve(this.identity);
  }
}

describe('single sign-on: an identity that cannot get an account', () => {
  it('should answer 409 when the subject is linked under another issuer, after a bounded number of tries', async () => {
    const sso = new ScriptedSingleSignOn();
    const t = await createTestApp({ env: { ...JWT_ENV, ...OIDC, OIDC_ISSUER: 'https://one.example.com' }, overrides: [[SingleSignOn, sso]] });
    try {
      const callback = async () => {
        const login = await t.http().get('/api/auth/oidc/login').expect(302);
        const jar = new CookieJar();
        jar.keep(login.headers['set-cookie']);
        return t.http().get('/api/auth/oidc/callback?code=c&state=st').set('Cookie', jar.header());
      };
      expect((await callback()).status).toBe(302);
      sso.identity = { ...sso.identity, issuer: 'https://two.example.com' };
      const conflict = await callback();
      expect(conflict.body).toEqual({ status: 409, code: 'sso_account_conflict', detail: expect.stringContaining('another provider') });
    } finally {
      await t.dispose();
    }
  });
});

describe('without single sign-on', () => {
  it('should answer its routes 404 sso_not_configured', async () => {
    const t = await createTestApp({ env: JWT_ENV });
    try {
      expect((await t.http().get('/api/auth/oidc/login').expect(404)).body.code).toBe('sso_not_configured');
      expect((await t.http().get('/api/auth/oidc/callback?code=x&state=y').expect(404)).body.code).toBe('sso_not_configured');
    } finally {
      await t.dispose();
    }
  });
});
