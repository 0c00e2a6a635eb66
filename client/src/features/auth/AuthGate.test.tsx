import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { AppRoutes } from '../../App';
import { apiError, callsTo, fakeApi, json, sse } from '../../test/fakeApi';
import { done, OTHER, renderWithRouter, SESSION } from '../../test/render';

const ALICE = { id: 'aaaaaaaa-0000-4000-8000-000000000001', username: 'alice', role: 'admin' as const };
const BOB = { id: 'bbbbbbbb-0000-4000-8000-000000000002', username: 'bob', role: 'user' as const };
const ALICE_TOKEN = 'token-of-alice';
const BOB_TOKEN = 'token-of-bob';

const noSessions = () => json([], 200, { 'X-Total-Count': '0' });
const jwt = (sso: { name: string; login_url: string } | null = null) => () => json({ mode: 'jwt', sso });
const unauthorized = () => apiError(401, 'unauthorized', 'Sign in first.');

/** `GET /api/auth/me` answering for the token it is sent, like the server. */
const me = ({ headers }: { headers: Headers }) => {
  const auth = headers.get('Authorization');
  if (auth === `Bearer ${ALICE_TOKEN}`) return json(ALICE);
  if (auth === `Bearer ${BOB_TOKEN}`) return json(BOB);
  return unauthorized();
};

const login = ({ body }: { body: unknown }) => {
  const { username, password } = body as { username: string; password: string };
  if (password !== 'correct horse') return apiError(401, 'unauthorized', 'The username or the password is wrong.');
  return json({ access_token: username === 'bob' ? BOB_TOKEN : ALICE_TOKEN, token_type: 'Bearer', expires_in: 3600 });
};

const renderApp = (path = '/') => renderWithRouter(<AppRoutes />, path);
const composer = () => screen.getByRole('textbox', { name: 'Message' });

async function signIn(user: ReturnType<typeof renderApp>['user'], username: string, password = 'correct horse') {
  await user.clear(await screen.findByLabelText('Username'));
  await user.type(screen.getByLabelText('Username'), username);
  await user.type(screen.getByLabelText('Password'), password);
  await user.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('accounts off', () => {
  it('should show the chat as before, with the dashboard link, no sign-in and no Authorization header', async () => {
    const calls = fakeApi({ 'GET /api/auth/config': () => json({ mode: 'off', sso: null }), 'GET /api/session_names': noSessions });
    renderApp();

    expect(await screen.findByText('How can I help you today?')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Dashboard' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Sign out' })).not.toBeInTheDocument();
    expect(screen.queryByLabelText('Password')).not.toBeInTheDocument();
    await waitFor(() => expect(callsTo(calls, 'GET /api/session_names')).toHaveLength(1));
    expect(calls.every((c) => !c.headers.has('Authorization'))).toBe(true);
    expect(callsTo(calls, 'GET /api/auth/me')).toHaveLength(0);
  });

  it('should treat a server without the config route as one without accounts', async () => {
    fakeApi({ 'GET /api/auth/config': () => apiError(404, 'not_found', 'Cannot GET'), 'GET /api/session_names': noSessions });
    renderApp();
    expect(await screen.findByText('How can I help you today?')).toBeInTheDocument();
  });
});

describe('sign-in and sign-up', () => {
  it('should sign in, keep the token and send it on every call', async () => {
    const calls = fakeApi({
      'GET /api/auth/config': jwt(),
      'POST /api/auth/login': login,
      'GET /api/auth/me': me,
      'GET /api/session_names': noSessions,
    });
    const { user } = renderApp();

    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    await signIn(user, 'alice', 'wrong password');
    expect(await screen.findByRole('alert')).toHaveTextContent('The username or the password is wrong.');
    expect(localStorage.getItem('access_token')).toBeNull();

    await user.clear(screen.getByLabelText('Password'));
    await user.type(screen.getByLabelText('Password'), 'correct horse');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByText('How can I help you today?')).toBeInTheDocument();
    expect(screen.getByText('alice')).toBeInTheDocument();
    expect(localStorage.getItem('access_token')).toBe(ALICE_TOKEN);
    await waitFor(() => expect(callsTo(calls, 'GET /api/session_names')).toHaveLength(1));
    expect(callsTo(calls, 'GET /api/session_names')[0]?.headers.get('Authorization')).toBe(`Bearer ${ALICE_TOKEN}`);
    expect(callsTo(calls, 'POST /api/auth/login')[1]?.body).toEqual({ username: 'alice', password: 'correct horse' });
  });

  it('should restore a stored token without asking to sign in', async () => {
    localStorage.setItem('access_token', BOB_TOKEN);
    fakeApi({ 'GET /api/auth/config': jwt(), 'GET /api/auth/me': me, 'GET /api/session_names': noSessions });
    renderApp();
    expect(await screen.findByText('bob')).toBeInTheDocument();
    expect(screen.queryByLabelText('Password')).not.toBeInTheDocument();
  });

  it('should ask to sign in again when the stored token is refused', async () => {
    localStorage.setItem('access_token', 'expired');
    fakeApi({ 'GET /api/auth/config': jwt(), 'GET /api/auth/me': me });
    renderApp();
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    expect(localStorage.getItem('access_token')).toBeNull();
  });

  it('should create an account; the first one (an admin) sees the dashboard link', async () => {
    const calls = fakeApi({
      'GET /api/auth/config': jwt(),
      'POST /api/auth/register': () => json({ user: ALICE, access_token: ALICE_TOKEN }, 201),
      'GET /api/session_names': noSessions,
    });
    const { user } = renderApp();

    await user.click(await screen.findByRole('button', { name: 'Create an account' }));
    expect(screen.getByRole('heading', { name: 'Create an account' })).toBeInTheDocument();
    expect(screen.getByLabelText('Username')).toHaveFocus();
    expect(screen.getByLabelText('Password')).toHaveAccessibleDescription('At least 8 characters.');
    await user.type(screen.getByLabelText('Username'), 'alice');
    await user.type(screen.getByLabelText('Password'), 'correct horse');
    await user.click(screen.getByRole('button', { name: 'Create account' }));

    expect(await screen.findByRole('link', { name: 'Dashboard' })).toBeInTheDocument();
    expect(screen.getByText('alice')).toBeInTheDocument();
    expect(callsTo(calls, 'POST /api/auth/register')[0]?.body).toEqual({ username: 'alice', password: 'correct horse' });
    expect(localStorage.getItem('access_token')).toBe(ALICE_TOKEN);
  });

  it("should show the server's detail when registration is closed", async () => {
    fakeApi({
      'GET /api/auth/config': jwt(),
      'POST /api/auth/register': () => apiError(403, 'forbidden', 'Registration is closed (ALLOW_REGISTRATION=false): ask an admin.'),
    });
    const { user } = renderApp();
    await user.click(await screen.findByRole('button', { name: 'Create an account' }));
    await user.type(screen.getByLabelText('Username'), 'carol');
    await user.type(screen.getByLabelText('Password'), 'long enough');
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Registration is closed (ALLOW_REGISTRATION=false): ask an admin.');
    expect(screen.getByRole('button', { name: 'Create account' })).toBeEnabled();
  });

  it('should offer single sign-on when the server has it', async () => {
    fakeApi({ 'GET /api/auth/config': jwt({ name: 'Acme ID', login_url: '/api/auth/oidc/login' }) });
    renderApp();
    const link = await screen.findByRole('link', { name: 'Sign in with Acme ID' });
    expect(link).toHaveAttribute('href', '/api/auth/oidc/login');
  });

  it('should sign in with the token single sign-on hands back in the address, and take it out of the address', async () => {
    const calls = fakeApi({ 'GET /api/auth/config': jwt({ name: 'Acme ID', login_url: '/api/auth/oidc/login' }), 'GET /api/auth/me': me, 'GET /api/session_names': noSessions });
    history.replaceState(null, '', `/#access_token=${ALICE_TOKEN}`);
    renderApp();
    expect(await screen.findByText('How can I help you today?')).toBeInTheDocument();
    expect(screen.getByText('alice')).toBeInTheDocument();
    expect(localStorage.getItem('access_token')).toBe(ALICE_TOKEN);
    expect(location.hash).toBe('');
    await waitFor(() => expect(callsTo(calls, 'GET /api/session_names')).toHaveLength(1));
    expect(callsTo(calls, 'GET /api/session_names')[0]?.headers.get('Authorization')).toBe(`Bearer ${ALICE_TOKEN}`);
  });

  it('should show why single sign-on failed when the server sends the browser back with an error', async () => {
    fakeApi({ 'GET /api/auth/config': jwt({ name: 'Acme ID', login_url: '/api/auth/oidc/login' }) });
    history.replaceState(null, '', `/#sso_error=${encodeURIComponent('The provider refused the sign-in: access_denied.')}`);
    renderApp();
    expect(await screen.findByRole('alert')).toHaveTextContent('Single sign-on did not sign you in: The provider refused the sign-in: access_denied.');
    expect(screen.getByRole('link', { name: 'Sign in with Acme ID' })).toBeInTheDocument();
    expect(location.hash).toBe('');
    expect(localStorage.getItem('access_token')).toBeNull();
  });

  it('should not offer single sign-on when the server has none', async () => {
    fakeApi({ 'GET /api/auth/config': jwt() });
    renderApp();
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: /Sign in with/ })).not.toBeInTheDocument();
  });

  it('should show what went wrong, with Retry, when the configuration cannot be read', async () => {
    let fail = true;
    fakeApi({
      'GET /api/auth/config': () => (fail ? apiError(503, 'unavailable', 'The database is unavailable.') : json({ mode: 'off', sso: null })),
      'GET /api/session_names': noSessions,
    });
    const { user } = renderApp();
    expect(await screen.findByRole('alert')).toHaveTextContent('The database is unavailable.');
    fail = false;
    await user.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('How can I help you today?')).toBeInTheDocument();
  });
});

/** Alice signed in, in her chat SESSION; once `expire(true)`, the stream answers `expiredReply()` as for a lapsed token. */
async function aliceInChat(expiredReply: () => Response) {
  localStorage.setItem('access_token', ALICE_TOKEN);
  localStorage.setItem('user_id', ALICE.id);
  localStorage.setItem('session_id', SESSION);
  let expired = false;
  fakeApi({
    'GET /api/auth/config': jwt(),
    'GET /api/auth/me': me,
    'POST /api/auth/login': login,
    'GET /api/session_names': noSessions,
    'POST /api/get_history': () => json({ status: 'success', session_id: SESSION, history: [], messages: [], has_more: false }),
    'POST /api/generate/stream': () => (expired ? expiredReply() : sse([['done', done('ok')]])),
  });
  const { user } = renderApp();
  await screen.findByText('alice');
  return { user, expire: (on: boolean) => void (expired = on) };
}

describe('signed out by the server', () => {
  it('should go back to sign-in on a 401 and give back the message that was being sent', async () => {
    const { user, expire } = await aliceInChat(unauthorized);

    expire(true);
    await user.type(composer(), 'A long message I do not want to type again');
    await user.keyboard('{Enter}');

    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('You have been signed out');
    expect(localStorage.getItem('access_token')).toBeNull();
    expect(screen.getByLabelText('Username')).toHaveValue('alice');
    expect(screen.getByLabelText('Password')).toHaveFocus();

    expire(false);
    await user.type(screen.getByLabelText('Password'), 'correct horse');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(composer()).toHaveValue('A long message I do not want to type again'));
    expect(localStorage.getItem('session_id')).toBe(SESSION);
  });

  it('should give back the message even when the 401 body arrives after the sign-in page replaced the chat', async () => {
    // The status line comes at once and the body later: the chat (and its stream) is gone before the body is read.
    const slowUnauthorized = () =>
      new Response(
        new ReadableStream<Uint8Array>({
          start(controller) {
            setTimeout(() => {
              controller.enqueue(new TextEncoder().encode(JSON.stringify({ status: 401, code: 'unauthorized', detail: 'Sign in first.' })));
              controller.close();
            }, 300);
          },
        }),
        { status: 401, headers: { 'Content-Type': 'application/json' } },
      );
    const { user, expire } = await aliceInChat(slowUnauthorized);

    expire(true);
    await user.type(composer(), 'Typed once, kept over a slow sign-out');
    await user.keyboard('{Enter}');
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();

    expire(false);
    await user.type(screen.getByLabelText('Password'), 'correct horse');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(composer()).toHaveValue('Typed once, kept over a slow sign-out'));
  });

  it('should keep a draft typed in the composer when another call gets the 401', async () => {
    localStorage.setItem('access_token', ALICE_TOKEN);
    localStorage.setItem('user_id', ALICE.id);
    let expired = false;
    const calls = fakeApi({
      'GET /api/auth/config': jwt(),
      'GET /api/auth/me': me,
      'POST /api/auth/login': login,
      'GET /api/session_names': () => (expired ? unauthorized() : noSessions()),
      'GET /api/search': () => (expired ? unauthorized() : noSessions()),
      // The new chat's id was remembered, but it has no messages on the server yet.
      'POST /api/get_history': () => apiError(404, 'session_not_found', 'Session not found'),
    });
    const { user } = renderApp();
    await screen.findByText('alice');

    await user.type(composer(), 'Half-written thought');
    expired = true;
    await user.type(screen.getByRole('searchbox', { name: 'Search chats' }), 'x');

    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    const remembered = localStorage.getItem('session_id');
    expired = false;
    await signIn(user, 'alice');
    // The server did not know the remembered chat (404), so a new one replaced it: the draft follows.
    await waitFor(() => expect(localStorage.getItem('session_id')).not.toBe(remembered));
    expect(callsTo(calls, 'POST /api/get_history')).toHaveLength(1);
    expect(composer()).toHaveValue('Half-written thought');
  });

  it("should not hand one user's draft and chat to another who signs in next", async () => {
    localStorage.setItem('access_token', ALICE_TOKEN);
    localStorage.setItem('user_id', ALICE.id);
    localStorage.setItem('session_id', SESSION);
    let expired = false;
    fakeApi({
      'GET /api/auth/config': jwt(),
      'GET /api/auth/me': me,
      'POST /api/auth/login': login,
      'GET /api/session_names': () => (expired ? unauthorized() : noSessions()),
      'GET /api/search': () => (expired ? unauthorized() : noSessions()),
      'POST /api/get_history': () => json({ status: 'success', session_id: SESSION, history: [], messages: [], has_more: false }),
    });
    const { user } = renderApp();
    await screen.findByText('alice');
    await user.type(composer(), 'Alice private draft');
    expired = true;
    await user.type(screen.getByRole('searchbox', { name: 'Search chats' }), 'x');
    await screen.findByRole('heading', { name: 'Sign in' });

    expired = false;
    await signIn(user, 'bob');
    expect(await screen.findByText('bob')).toBeInTheDocument();
    expect(composer()).toHaveValue('');
    expect(localStorage.getItem('session_id')).not.toBe(SESSION);
  });
});

describe('sign-out', () => {
  it('should forget the token, the current chat and the draft', async () => {
    localStorage.setItem('access_token', ALICE_TOKEN);
    localStorage.setItem('user_id', ALICE.id);
    localStorage.setItem('session_id', OTHER);
    fakeApi({
      'GET /api/auth/config': jwt(),
      'GET /api/auth/me': me,
      'GET /api/session_names': noSessions,
      'POST /api/get_history': () => json({ status: 'success', session_id: OTHER, history: [], messages: [], has_more: false }),
    });
    const { user } = renderApp();
    await screen.findByText('alice');

    await user.click(screen.getByRole('button', { name: 'Sign out' }));

    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
    expect(localStorage.getItem('access_token')).toBeNull();
    expect(localStorage.getItem('session_id')).toBeNull();
    expect(sessionStorage.length).toBe(0);
  });
});

describe('admins only', () => {
  it('should hide the dashboard link from a user', async () => {
    localStorage.setItem('access_token', BOB_TOKEN);
    fakeApi({ 'GET /api/auth/config': jwt(), 'GET /api/auth/me': me, 'GET /api/session_names': noSessions });
    renderApp();
    const sidebar = within(await screen.findByRole('complementary', { name: 'Chats' }));
    expect(await sidebar.findByText('bob')).toBeInTheDocument();
    expect(sidebar.queryByRole('link', { name: 'Dashboard' })).not.toBeInTheDocument();
    expect(sidebar.getByRole('link', { name: 'Account' })).toBeInTheDocument();
  });

  it('should tell a user who opens /admin that it is for admins, without calling admin routes', async () => {
    localStorage.setItem('access_token', BOB_TOKEN);
    const calls = fakeApi({ 'GET /api/auth/config': jwt(), 'GET /api/auth/me': me });
    const { user } = renderApp('/admin');
    expect(await screen.findByRole('heading', { name: 'Admins only' })).toBeInTheDocument();
    expect(calls.map((c) => c.key)).toEqual(['GET /api/auth/config', 'GET /api/auth/me']);

    fakeApi({ 'GET /api/session_names': noSessions });
    await user.click(screen.getByRole('link', { name: 'Back to chat' }));
    expect(await screen.findByText('How can I help you today?')).toBeInTheDocument();
  });
});
