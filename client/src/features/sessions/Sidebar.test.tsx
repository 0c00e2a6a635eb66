import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { apiError, callsTo, fakeApi, json } from '../../test/fakeApi';
import { OTHER, renderWithRouter, SESSION, summary } from '../../test/render';
import { ChatPage } from '../chat/ChatPage';

const emptyHistory = (sessionId: string) =>
  json({ status: 'success', session_id: sessionId, history: [], messages: [], has_more: false });

function page(items: ReturnType<typeof summary>[], total = items.length) {
  return json(items, 200, { 'X-Total-Count': String(total) });
}

const sidebar = () => within(screen.getByRole('complementary', { name: 'Chats' }));

describe('Sidebar', () => {
  it('should list sessions with their name, last activity and message count', async () => {
    localStorage.setItem('session_id', SESSION);
    fakeApi({
      'GET /api/session_names': () => page([summary(SESSION, 'Trip to Lisbon', 5, 12), summary(OTHER, 'Sourdough', 60 * 30, 1)]),
      'POST /api/get_history': () => emptyHistory(SESSION),
    });
    renderWithRouter(<ChatPage />);

    const current = await sidebar().findByRole('button', { name: /Trip to Lisbon/ });
    expect(current).toHaveAttribute('aria-current', 'page');
    expect(current).toHaveTextContent('5 min ago');
    expect(current).toHaveTextContent('12 messages');
    expect(sidebar().getByRole('button', { name: /Sourdough/ })).toHaveTextContent('yesterday · 1 message');
  });

  it('should search with a debounced q parameter', async () => {
    const calls = fakeApi({
      'GET /api/session_names': ({ url }) =>
        url.searchParams.get('q') === 'bread' ? page([summary(OTHER, 'Sourdough bread', 3, 4)]) : page([]),
      'GET /api/search': () => page([]),
    });
    const { user } = renderWithRouter(<ChatPage />);

    await user.type(screen.getByRole('searchbox', { name: 'Search chats' }), 'bread');

    expect(await sidebar().findByText('Sourdough bread')).toBeInTheDocument();
    const queries = callsTo(calls, 'GET /api/session_names').map((c) => c.url.searchParams.get('q'));
    expect(queries).toEqual([null, 'bread']);
  });

  it('should say when nothing matches the search', async () => {
    fakeApi({ 'GET /api/session_names': () => page([]), 'GET /api/search': () => page([]) });
    const { user } = renderWithRouter(<ChatPage />);

    await user.type(screen.getByRole('searchbox', { name: 'Search chats' }), 'zebra');

    expect(await sidebar().findByText('No chats match “zebra”.')).toBeInTheDocument();
  });

  it('should load the next page with limit and offset', async () => {
    const first = Array.from({ length: 30 }, (_, i) => summary(`00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, `Chat ${i}`, i, 2));
    const calls = fakeApi({
      'GET /api/session_names': ({ url }) =>
        url.searchParams.get('offset') === '30' ? page([summary(OTHER, 'The oldest chat', 9000, 2)], 31) : page(first, 31),
    });
    const { user } = renderWithRouter(<ChatPage />);

    await user.click(await sidebar().findByRole('button', { name: 'Load more' }));

    expect(await sidebar().findByText('The oldest chat')).toBeInTheDocument();
    expect(sidebar().queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument();
    const params = callsTo(calls, 'GET /api/session_names').map((c) => [c.url.searchParams.get('limit'), c.url.searchParams.get('offset')]);
    expect(params).toEqual([
      ['30', '0'],
      ['30', '30'],
    ]);
  });

  it('should open a session when it is selected and remember it', async () => {
    const calls = fakeApi({
      'GET /api/session_names': () => page([summary(OTHER, 'Old chat', 10, 2)]),
      'POST /api/get_history': () =>
        json({
          status: 'success',
          session_id: OTHER,
          history: ['Human: Earlier question', 'AI: Earlier answer'],
          messages: [
            { id: 1, sender: 'Human', content: 'Earlier question', timestamp: '2026-11-24T12:00:00.000Z' },
            { id: 2, sender: 'AI', content: 'Earlier answer', timestamp: '2026-11-24T12:00:01.000Z' },
          ],
          has_more: false,
        }),
    });
    const { user } = renderWithRouter(<ChatPage />);

    await user.click(await sidebar().findByRole('button', { name: /Old chat/ }));

    expect(await screen.findByText('Earlier answer')).toBeInTheDocument();
    expect(localStorage.getItem('session_id')).toBe(OTHER);
    expect(callsTo(calls, 'POST /api/get_history')[0]?.body).toEqual({ session_id: OTHER, limit: 100 });
  });

  it('should delete a session only after confirmation', async () => {
    localStorage.setItem('session_id', SESSION);
    const calls = fakeApi({
      'GET /api/session_names': () => page([summary(OTHER, 'Disposable', 10, 2)]),
      'POST /api/get_history': () => emptyHistory(SESSION),
      'DELETE /api/sessions/{id}': () => new Response(null, { status: 204 }),
    });
    const { user } = renderWithRouter(<ChatPage />);
    await sidebar().findByText('Disposable');

    await user.click(sidebar().getByRole('button', { name: 'Delete' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete chat?' });
    expect(dialog).toHaveTextContent('“Disposable” and its 2 messages will be deleted');
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(callsTo(calls, 'DELETE /api/sessions/' + OTHER)).toHaveLength(0);

    await user.click(sidebar().getByRole('button', { name: 'Delete' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Delete' }));

    await waitFor(() => expect(sidebar().queryByText('Disposable')).not.toBeInTheDocument());
    expect(callsTo(calls, 'DELETE /api/sessions/' + OTHER)).toHaveLength(1);
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('should keep the dialog open with the detail when the deletion fails', async () => {
    fakeApi({
      'GET /api/session_names': () => page([summary(OTHER, 'Stubborn', 10, 2)]),
      'DELETE /api/sessions/{id}': () => apiError(503, 'database_unavailable', 'The database is not reachable.'),
    });
    const { user } = renderWithRouter(<ChatPage />);
    await user.click(await sidebar().findByRole('button', { name: 'Delete' }));

    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Delete' }));

    expect(await within(screen.getByRole('dialog')).findByRole('alert')).toHaveTextContent('The database is not reachable.');
    expect(sidebar().getByText('Stubborn')).toBeInTheDocument();
  });

  it('should drop a chat that was already deleted elsewhere', async () => {
    fakeApi({
      'GET /api/session_names': () => page([summary(OTHER, 'Gone already', 10, 2)]),
      'DELETE /api/sessions/{id}': () => apiError(404, 'session_not_found', 'Session not found'),
    });
    const { user } = renderWithRouter(<ChatPage />);
    await user.click(await sidebar().findByRole('button', { name: 'Delete' }));

    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Delete' }));

    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(sidebar().queryByText('Gone already')).not.toBeInTheDocument();
  });

  it('should start a new chat with a new v4 id', async () => {
    localStorage.setItem('session_id', SESSION);
    fakeApi({
      'GET /api/session_names': () => page([]),
      'POST /api/get_history': () =>
        json({
          status: 'success',
          session_id: SESSION,
          history: ['Human: Hi'],
          messages: [{ id: 1, sender: 'Human', content: 'Hi', timestamp: '2026-11-24T12:00:00.000Z' }],
          has_more: false,
        }),
    });
    const { user } = renderWithRouter(<ChatPage />);
    await screen.findByRole('button', { name: 'Clear history' });

    await user.click(screen.getByRole('button', { name: 'New chat' }));

    expect(await screen.findByText('How can I help you today?')).toBeInTheDocument();
    const id = localStorage.getItem('session_id');
    expect(id).not.toBe(SESSION);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
