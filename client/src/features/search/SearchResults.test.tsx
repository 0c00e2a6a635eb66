import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { callsTo, fakeApi, json } from '../../test/fakeApi';
import { OTHER, renderWithRouter, SESSION, summary } from '../../test/render';
import { ChatPage } from '../chat/ChatPage';

const sidebar = () => within(screen.getByRole('complementary', { name: 'Chats' }));
const at = '2026-11-20T10:00:00.000Z';
const hit = (messageId: number | null, snippet: string, sessionId = OTHER) => ({
  session_id: sessionId,
  chat_name: 'Baking plans',
  message_id: messageId,
  sender: messageId === null ? null : 'Human',
  snippet,
  timestamp: at,
});
const message = (id: number, content: string) => ({ id, sender: 'Human', content, timestamp: at });
const history = (messages: ReturnType<typeof message>[], hasMore = false) =>
  json({ status: 'success', session_id: OTHER, history: [], messages, has_more: hasMore });

describe('SearchResults', () => {
  const scrollIntoView = vi.fn();
  beforeEach(() => {
    localStorage.setItem('session_id', SESSION);
    Element.prototype.scrollIntoView = scrollIntoView;
  });
  afterEach(() => scrollIntoView.mockReset());

  it('should show the matches with their words highlighted, and any HTML of a message as text', async () => {
    const calls = fakeApi({
      'GET /api/session_names': () => json([summary(OTHER, 'Baking plans', 5, 2)], 200, { 'X-Total-Count': '1' }),
      'POST /api/get_history': () => json({ status: 'success', session_id: SESSION, history: [], messages: [], has_more: false }),
      'GET /api/search': () =>
        json([hit(null, '\u0002Baking\u0003 plans'), hit(7, '<img src=x onerror="alert(1)"> bake an \u0002apple\u0003 pie')], 200, { 'X-Total-Count': '2' }),
    });
    const { user } = renderWithRouter(<ChatPage />);

    await user.type(screen.getByRole('searchbox', { name: 'Search chats' }), 'apple');

    const results = within(await sidebar().findByRole('region', { name: 'Messages found' }));
    const found = await results.findByRole('button', { name: /bake an apple pie/ });
    expect(within(found).getByText('apple').tagName).toBe('MARK');
    expect(found).toHaveTextContent('<img src=x onerror="alert(1)"> bake an apple pie');
    expect(found.querySelector('img')).toBeNull();
    expect(results.getByText('Baking').tagName).toBe('MARK');
    expect(callsTo(calls, 'GET /api/search').map((c) => c.url.searchParams.get('q'))).toEqual(['apple']);
  });

  it('should not ask the server about punctuation alone', async () => {
    const calls = fakeApi({
      'GET /api/session_names': () => json([], 200, { 'X-Total-Count': '0' }),
      'POST /api/get_history': () => json({ status: 'success', session_id: SESSION, history: [], messages: [], has_more: false }),
    });
    const { user } = renderWithRouter(<ChatPage />);
    await user.type(screen.getByRole('searchbox', { name: 'Search chats' }), '"(((');
    await waitFor(() => expect(callsTo(calls, 'GET /api/session_names').length).toBeGreaterThan(1));
    expect(callsTo(calls, 'GET /api/search')).toEqual([]);
    expect(sidebar().queryByRole('region', { name: 'Messages found' })).toBeNull();
  });

  it('should open the chat of a result, loading older pages until the message is there, and highlight it', async () => {
    const calls = fakeApi({
      'GET /api/session_names': () => json([], 200, { 'X-Total-Count': '0' }),
      'POST /api/get_history': ({ body }) => {
        const { session_id: id, before_id: before } = body as { session_id: string; before_id?: number };
        if (id === SESSION) return json({ status: 'success', session_id: SESSION, history: [], messages: [], has_more: false });
        return before === undefined ? history([message(300, 'the newest page')], true) : history([message(3, 'How do I bake an apple pie?')]);
      },
      'GET /api/search': () => json([hit(3, 'How do I bake an \u0002apple\u0003 pie?')], 200, { 'X-Total-Count': '1' }),
    });
    const { user } = renderWithRouter(<ChatPage />);

    await user.type(screen.getByRole('searchbox', { name: 'Search chats' }), 'apple');
    await user.click(await sidebar().findByRole('button', { name: /bake an apple pie/ }));

    const log = await screen.findByRole('log', { name: 'Conversation' });
    const target = await within(log).findByText('How do I bake an apple pie?');
    await waitFor(() => expect(target.closest('.message')).toHaveClass('message-found'));
    expect(scrollIntoView).toHaveBeenCalledWith({ block: 'center' });
    expect(localStorage.getItem('session_id')).toBe(OTHER);
    const pages = callsTo(calls, 'POST /api/get_history').filter((c) => (c.body as { session_id: string }).session_id === OTHER);
    expect(pages.map((c) => (c.body as { before_id?: number }).before_id)).toEqual([undefined, 300]);
  });
});
