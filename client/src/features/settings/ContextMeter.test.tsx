import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { callsTo, fakeApi, json, sse } from '../../test/fakeApi';
import { done, renderWithRouter, SESSION } from '../../test/render';
import { ChatPage } from '../chat/ChatPage';

const CONTEXT = `GET /api/sessions/${SESSION}/context`;
const noSessions = () => json([], 200, { 'X-Total-Count': '0' });

/** Turns 1..n as stored messages: the Human message of turn t has id 2t-1, its AI reply 2t. */
function turns(from: number, to: number) {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i).flatMap((t) => [
    { id: 2 * t - 1, sender: 'Human', content: `Question ${t}`, timestamp: '2026-11-24T12:00:00.000Z' },
    { id: 2 * t, sender: 'AI', content: `Answer ${t}`, timestamp: '2026-11-24T12:00:00.000Z' },
  ]);
}

/** The history route: the chat's newest page, or (with before_id) the messages before an id. */
function historyOf(total: number) {
  return ({ body }: { body: unknown }) => {
    const { before_id: before, limit = 500 } = body as { before_id?: number; limit?: number };
    const all = turns(1, total).filter((m) => before === undefined || m.id < before);
    const messages = all.slice(-limit);
    return json({ status: 'success', session_id: SESSION, history: [], messages, has_more: messages.length < all.length });
  };
}

function context(overrides: object = {}) {
  return {
    messages: [
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'Question 16' },
      { role: 'assistant', content: 'Answer 16' },
    ],
    tokens: 3120,
    max_tokens: 8000,
    strategy: 'summary',
    summary_covers_until: 28,
    ...overrides,
  };
}

function openChat() {
  localStorage.setItem('session_id', SESSION);
  return renderWithRouter(<ChatPage />);
}

// Generous waits: each meter load is a few fetches, and the machines running these are often busy.
const WAIT = { timeout: 5_000 };
const meter = () => screen.findByRole('button', { name: /tokens/ }, WAIT);

describe('ContextMeter', () => {
  it('should show the tokens, the budget and how many earlier turns the summary covers', async () => {
    const calls = fakeApi({ 'GET /api/session_names': noSessions, 'POST /api/get_history': historyOf(16), [CONTEXT]: () => json(context()) });
    openChat();
    expect(await meter()).toHaveTextContent('3,120 / 8,000 tokens · summary of 14 earlier turns');
    expect(callsTo(calls, 'POST /api/get_history').map((c) => c.body)).toContainEqual({ session_id: SESSION, limit: 100, before_id: 29 });
  });

  it('should show only the tokens when there is no budget, and the turns of the window', async () => {
    fakeApi({
      'GET /api/session_names': noSessions,
      'POST /api/get_history': historyOf(1),
      [CONTEXT]: () => json(context({ strategy: 'window', max_tokens: null, summary_covers_until: null })),
    });
    openChat();
    expect(await meter()).toHaveTextContent(/^3,120 tokens · window of 1 turn$/);
  });

  it('should open a dialog with the exact context messages, system prompt first', async () => {
    fakeApi({ 'GET /api/session_names': noSessions, 'POST /api/get_history': historyOf(16), [CONTEXT]: () => json(context()) });
    const { user } = openChat();
    await user.click(await meter());

    const dialog = screen.getByRole('dialog', { name: 'What the model will see' });
    const items = within(within(dialog).getByRole('list', { name: 'Context messages' })).getAllByRole('listitem');
    expect(items.map((li) => li.textContent)).toEqual(['SystemYou are terse.', 'UserQuestion 16', 'AssistantAnswer 16']);
    expect(within(dialog).getByRole('button', { name: 'Close' })).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('should refresh after a turn, reading only the history the summary newly covers', async () => {
    let covered = 200;
    const calls = fakeApi({
      'GET /api/session_names': noSessions,
      'POST /api/get_history': historyOf(121),
      [CONTEXT]: () => json(context({ tokens: 3120 + (covered - 200) * 100, summary_covers_until: covered })),
      'POST /api/generate/stream': () => {
        covered = 202;
        return sse([['done', done('Answer 122')]]);
      },
    });
    const { user } = openChat();
    expect(await meter()).toHaveTextContent('summary of 100 earlier turns');

    await user.type(screen.getByRole('textbox', { name: 'Message' }), 'Question 122{Enter}');

    await waitFor(() => expect(screen.getByRole('button', { name: /tokens/ })).toHaveTextContent('3,320 / 8,000 tokens · summary of 101 earlier turns'), WAIT);
    const pages = callsTo(calls, 'POST /api/get_history').map((c) => (c.body as { before_id?: number }).before_id);
    // The first count pages back through 200 messages; the second reads one page, not the whole history again.
    expect(pages).toEqual([undefined, 201, 101, 203]);
  });
});
