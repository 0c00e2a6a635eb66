import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { AppRoutes } from '../../App';
import { apiError, callsTo, fakeApi, json } from '../../test/fakeApi';
import { OTHER, renderWithRouter } from '../../test/render';

const SHARE = 'AbCdEfGhIjKlMnOpQrStUv';
const SHARED = {
  share_id: SHARE,
  chat_name: 'Trip to Kyōto',
  shared_at: '2026-11-24T12:00:00.000Z',
  messages: [
    { sender: 'Human', content: 'Where should I stay?', timestamp: '2026-11-24T11:58:00.000Z' },
    { sender: 'AI', content: 'Near **Gion**, for the evenings.', timestamp: '2026-11-24T11:59:00.000Z' },
  ],
};
const ALICE = { id: 'aaaaaaaa-0000-4000-8000-000000000001', username: 'alice', role: 'user' as const };
const noSessions = () => json([], 200, { 'X-Total-Count': '0' });
const historyOf = (sessionId: string) => () =>
  json({
    status: 'success',
    session_id: sessionId,
    history: [],
    messages: SHARED.messages.map((m, i) => ({ id: i + 1, ...m })),
    has_more: false,
  });

const renderShared = (path = `/shared/${SHARE}`) => renderWithRouter(<AppRoutes />, path);

describe('the shared chat page', () => {
  it('should show the conversation read-only, with no sign-in, no owner and nothing stored in the browser', async () => {
    const calls = fakeApi({ [`GET /api/shared/${SHARE}`]: () => json(SHARED) });
    renderShared();

    expect(await screen.findByRole('heading', { level: 1, name: 'Trip to Kyōto' })).toBeInTheDocument();
    const log = screen.getByRole('log', { name: 'Conversation' });
    expect(within(log).getByText('Where should I stay?')).toBeInTheDocument();
    // The reply as Markdown once its renderer has loaded, as plain text until then.
    expect(await within(log).findAllByText(/Gion/)).not.toHaveLength(0);
    expect(screen.getByText(/read-only/)).toBeInTheDocument();
    expect(screen.queryByRole('textbox', { name: 'Message' })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Continue this chat' })).toBeInTheDocument();
    // The page is open to anyone: it asks nothing of the sign-in.
    expect(calls.map((c) => c.key)).toEqual([`GET /api/shared/${SHARE}`]);
    expect(localStorage.length).toBe(0);
    expect(sessionStorage.length).toBe(0);
  });

  it('should say so when the link was revoked', async () => {
    fakeApi({ [`GET /api/shared/${SHARE}`]: () => apiError(404, 'share_not_found', 'No such share.') });
    renderShared();
    expect(await screen.findByRole('heading', { name: 'This link does not work' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Go to the chat app' })).toHaveAttribute('href', '/');
  });

  it('should continue the chat as a new chat of ones own, with accounts off', async () => {
    const calls = fakeApi({
      [`GET /api/shared/${SHARE}`]: () => json(SHARED),
      'GET /api/auth/config': () => json({ mode: 'off', sso: null }),
      [`POST /api/shared/${SHARE}/continue`]: () => json({ session_id: OTHER }, 201),
      'GET /api/session_names': noSessions,
      'POST /api/get_history': historyOf(OTHER),
    });
    const { user } = renderShared();
    await user.click(await screen.findByRole('button', { name: 'Continue this chat' }));

    expect(await screen.findByRole('textbox', { name: 'Message' })).toBeInTheDocument();
    expect(await within(await screen.findByRole('log', { name: 'Conversation' })).findByText('Where should I stay?')).toBeInTheDocument();
    expect(localStorage.getItem('session_id')).toBe(OTHER);
    expect(callsTo(calls, `POST /api/shared/${SHARE}/continue`)).toHaveLength(1);
    expect(callsTo(calls, 'POST /api/get_history')[0]?.body).toMatchObject({ session_id: OTHER });
    expect(sessionStorage.length).toBe(0);
  });

  it('should ask a viewer to sign in first with accounts on, then continue and open the copy', async () => {
    const calls = fakeApi({
      [`GET /api/shared/${SHARE}`]: () => json(SHARED),
      'GET /api/auth/config': () => json({ mode: 'jwt', sso: null }),
      'POST /api/auth/login': () => json({ access_token: 'token-of-alice', token_type: 'Bearer', expires_in: 3600 }),
      'GET /api/auth/me': () => json(ALICE),
      [`POST /api/shared/${SHARE}/continue`]: ({ headers }) =>
        headers.get('Authorization') === 'Bearer token-of-alice' ? json({ session_id: OTHER }, 201) : apiError(401, 'unauthorized', 'Sign in first.'),
      'GET /api/session_names': noSessions,
      'POST /api/get_history': historyOf(OTHER),
    });
    const { user } = renderShared();
    await user.click(await screen.findByRole('button', { name: 'Continue this chat' }));

    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    expect(callsTo(calls, `POST /api/shared/${SHARE}/continue`)).toHaveLength(0);
    await user.type(screen.getByLabelText('Username'), 'alice');
    await user.type(screen.getByLabelText('Password'), 'correct horse');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await within(await screen.findByRole('log', { name: 'Conversation' })).findByText('Where should I stay?')).toBeInTheDocument();
    expect(callsTo(calls, `POST /api/shared/${SHARE}/continue`)).toHaveLength(1);
    expect(localStorage.getItem('session_id')).toBe(OTHER);
  });

  it('should come back to the continuation after a single sign-on, which returns to the first page', async () => {
    sessionStorage.setItem('continue_share', JSON.stringify({ shareId: SHARE, at: Date.now() }));
    const calls = fakeApi({
      'GET /api/auth/config': () => json({ mode: 'off', sso: null }),
      [`POST /api/shared/${SHARE}/continue`]: () => json({ session_id: OTHER }, 201),
      'GET /api/session_names': noSessions,
      'POST /api/get_history': historyOf(OTHER),
    });
    renderShared('/');
    await waitFor(() => expect(localStorage.getItem('session_id')).toBe(OTHER));
    expect(callsTo(calls, `POST /api/shared/${SHARE}/continue`)).toHaveLength(1);
  });

  it('should ask before continuing when the continue page is opened from elsewhere', async () => {
    const calls = fakeApi({
      'GET /api/auth/config': () => json({ mode: 'off', sso: null }),
      [`POST /api/shared/${SHARE}/continue`]: () => json({ session_id: OTHER }, 201),
      'GET /api/session_names': noSessions,
      'POST /api/get_history': historyOf(OTHER),
    });
    const { user } = renderShared(`/shared/${SHARE}/continue`);
    expect(await screen.findByRole('heading', { name: 'Continue a shared chat?' })).toBeInTheDocument();
    expect(callsTo(calls, `POST /api/shared/${SHARE}/continue`)).toHaveLength(0);
    await user.click(screen.getByRole('button', { name: 'Continue this chat' }));
    await waitFor(() => expect(localStorage.getItem('session_id')).toBe(OTHER));
  });
});
