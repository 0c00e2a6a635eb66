import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { apiError, callsTo, fakeApi, json, sse } from '../../test/fakeApi';
import { done, renderWithRouter, SESSION } from '../../test/render';
import { ChatPage } from './ChatPage';

const noSessions = () => json([], 200, { 'X-Total-Count': '0' });

function history(...contents: Array<['Human' | 'AI', string]>) {
  return json({
    status: 'success',
    session_id: SESSION,
    history: contents.map(([sender, text]) => `${sender}: ${text}`),
    messages: contents.map(([sender, content], i) => ({ id: i + 1, sender, content, timestamp: '2026-11-24T12:00:00.000Z' })),
    has_more: false,
  });
}

const conversation = () => within(screen.getByRole('log', { name: 'Conversation' }));

function restoreSession() {
  localStorage.setItem('session_id', SESSION);
}

describe(ChatPage.name, () => {
  it('should restore the stored session and show its history', async () => {
    restoreSession();
    const calls = fakeApi({
      'GET /api/session_names': noSessions,
      'POST /api/get_history': () => history(['Human', 'Hello there'], ['AI', 'Hi! How can I help?']),
    });
    renderWithRouter(<ChatPage />);

    expect(screen.getByRole('status')).toHaveTextContent('Loading the conversation…');
    expect(await screen.findByRole('log', { name: 'Conversation' })).toBeInTheDocument();
    expect(await conversation().findByText('Hello there')).toBeInTheDocument();
    expect(await conversation().findByText('Hi! How can I help?')).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Hello there');
    expect(callsTo(calls, 'POST /api/get_history')[0]?.body).toEqual({ session_id: SESSION, limit: 100 });
  });

  it('should load earlier messages on demand', async () => {
    restoreSession();
    const message = (id: number, content: string) => ({ id, sender: 'Human', content, timestamp: '2026-11-24T12:00:00.000Z' });
    const calls = fakeApi({
      'GET /api/session_names': noSessions,
      'POST /api/get_history': ({ body }) => {
        const older = (body as { before_id?: number }).before_id !== undefined;
        const messages = older ? [message(1, 'The very first message')] : [message(101, 'A recent message')];
        return json({ status: 'success', session_id: SESSION, history: [], messages, has_more: !older });
      },
    });
    const { user } = renderWithRouter(<ChatPage />);

    await user.click(await screen.findByRole('button', { name: 'Load earlier messages' }));

    expect(await conversation().findByText('The very first message')).toBeInTheDocument();
    const texts = Array.from(document.querySelectorAll('.bubble'), (el) => el.textContent);
    expect(texts).toEqual(['The very first message', 'A recent message']);
    expect(screen.queryByRole('button', { name: 'Load earlier messages' })).not.toBeInTheDocument();
    expect(callsTo(calls, 'POST /api/get_history').map((c) => c.body)).toEqual([
      { session_id: SESSION, limit: 100 },
      { session_id: SESSION, limit: 100, before_id: 101 },
    ]);
  });

  it('should start a new session when the server does not know the stored one', async () => {
    restoreSession();
    fakeApi({
      'GET /api/session_names': noSessions,
      'POST /api/get_history': () => apiError(404, 'session_not_found', 'Session not found'),
    });
    renderWithRouter(<ChatPage />);

    expect(await screen.findByText('How can I help you today?')).toBeInTheDocument();
    await waitFor(() => expect(localStorage.getItem('session_id')).not.toBe(SESSION));
    expect(localStorage.getItem('session_id')).toMatch(/^[0-9a-f-]{8}-[0-9a-f-]{4}-4/);
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('should send on Enter and show the reply as it streams', async () => {
    restoreSession();
    const calls = fakeApi({
      'GET /api/session_names': noSessions,
      'POST /api/get_history': () => history(),
      'POST /api/generate/stream': ({ signal }) =>
        sse([['token', { text: 'Streaming ' }], ['token', { text: 'reply' }]], { hold: true, signal }),
    });
    const { user } = renderWithRouter(<ChatPage />);

    await user.type(screen.getByRole('textbox', { name: 'Message' }), 'Tell me something{Enter}');

    expect(await conversation().findByText('Streaming reply')).toBeInTheDocument();
    expect(conversation().getByText('Tell me something')).toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: 'Message' })).toHaveValue('');
    expect(callsTo(calls, 'POST /api/generate/stream')[0]?.body).toEqual({ prompt: 'Tell me something', session_id: SESSION });

    await user.click(screen.getByRole('button', { name: 'Stop' }));

    expect(await screen.findByText('Stopped')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Send' })).toBeInTheDocument();
    expect(conversation().getByText('Streaming reply')).toBeInTheDocument();
  });

  it('should replace the streamed text with the final reply when done', async () => {
    // The Markdown renderer loads lazily (plain text until then): loaded first, so its load time on a busy machine does not count.
    await import('./Markdown');
    restoreSession();
    fakeApi({
      'GET /api/session_names': noSessions,
      'POST /api/get_history': () => history(),
      'POST /api/generate/stream': () => sse([['token', { text: 'Part' }], ['done', done('Part and **whole**')]]),
    });
    const { user } = renderWithRouter(<ChatPage />);

    await user.type(screen.getByRole('textbox', { name: 'Message' }), 'Go{Enter}');

    expect(await screen.findByText('whole', { selector: 'strong' })).toBeInTheDocument();
    expect(screen.queryByText('Stopped')).not.toBeInTheDocument();
  });

  it('should add a line on Shift+Enter without sending', async () => {
    restoreSession();
    const calls = fakeApi({ 'GET /api/session_names': noSessions, 'POST /api/get_history': () => history() });
    const { user } = renderWithRouter(<ChatPage />);
    const input = screen.getByRole('textbox', { name: 'Message' });

    await user.type(input, 'one{Shift>}{Enter}{/Shift}two');

    expect(input).toHaveValue('one\ntwo');
    expect(callsTo(calls, 'POST /api/generate/stream')).toHaveLength(0);
  });

  it('should show the detail of a failed turn and send it again on Retry', async () => {
    restoreSession();
    const replies = [
      () => sse([['token', { text: 'Hal' }], ['error', { status: 502, code: 'llm_bad_response', detail: 'The model gave a bad answer.' }]]),
      () => sse([['done', done('Second time lucky')]]),
    ];
    const calls = fakeApi({
      'GET /api/session_names': noSessions,
      'POST /api/get_history': () => history(),
      'POST /api/generate/stream': () => replies.shift()!(),
    });
    const { user } = renderWithRouter(<ChatPage />);

    await user.type(screen.getByRole('textbox', { name: 'Message' }), 'Try{Enter}');
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The model gave a bad answer.');

    await user.click(within(alert).getByRole('button', { name: 'Retry' }));

    expect(await screen.findByText('Second time lucky')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(conversation().getAllByText('Try')).toHaveLength(1);
    expect(callsTo(calls, 'POST /api/generate/stream').map((c) => c.body)).toEqual([
      { prompt: 'Try', session_id: SESSION },
      { prompt: 'Try', session_id: SESSION },
    ]);
  });

  it('should show the detail when the server refuses the prompt', async () => {
    restoreSession();
    fakeApi({
      'GET /api/session_names': noSessions,
      'POST /api/get_history': () => history(),
      'POST /api/generate/stream': () => apiError(503, 'llm_unavailable', 'The language model is not reachable.'),
    });
    const { user } = renderWithRouter(<ChatPage />);

    await user.type(screen.getByRole('textbox', { name: 'Message' }), 'Hello{Enter}');

    expect(await screen.findByRole('alert')).toHaveTextContent('The language model is not reachable.');
  });

  it('should show HTML in a message as text and never create its elements', async () => {
    restoreSession();
    const html = '<img src=x onerror=alert(1)>';
    fakeApi({
      'GET /api/session_names': noSessions,
      'POST /api/get_history': () => history(['Human', html], ['AI', `You said ${html} and <script>alert(2)</script>`]),
    });
    const { container } = renderWithRouter(<ChatPage />);

    expect(await screen.findByRole('log', { name: 'Conversation' })).toBeInTheDocument();
    expect(await conversation().findByText(html)).toBeInTheDocument();
    expect(await conversation().findByText(/You said <img src=x onerror=alert\(1\)> and <script>alert\(2\)<\/script>/)).toBeInTheDocument();
    expect(container.querySelector('img, script')).toBeNull();
  });

  it('should show an image of a reply as a link, never loading it', async () => {
    restoreSession();
    fakeApi({
      'GET /api/session_names': noSessions,
      'POST /api/get_history': () => history(['AI', 'Look: ![a chart](https://example.com/chart.png?data=secret)']),
    });
    const { container } = renderWithRouter(<ChatPage />);

    const link = await screen.findByRole('link', { name: 'a chart' });
    expect(link).toHaveAttribute('href', 'https://example.com/chart.png?data=secret');
    expect(link).toHaveAttribute('rel', 'noopener noreferrer');
    expect(container.querySelector('img')).toBeNull();
  });

  it('should highlight a code block and copy it, or the whole reply', async () => {
    restoreSession();
    fakeApi({
      'GET /api/session_names': noSessions,
      'POST /api/get_history': () => history(['AI', 'Here:\n\n```js\nconst answer = 42;\n```']),
    });
    const { user } = renderWithRouter(<ChatPage />);

    const copy = await screen.findByRole('button', { name: 'Copy code' });
    expect(screen.getByText('js')).toBeInTheDocument();
    expect(document.querySelector('code.hljs .hljs-keyword')).toHaveTextContent('const');

    await user.click(copy);

    expect(await navigator.clipboard.readText()).toBe('const answer = 42;\n');
    expect(await screen.findByRole('button', { name: 'Copied' })).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Copy reply' }));
    expect(await navigator.clipboard.readText()).toBe('Here:\n\n```js\nconst answer = 42;\n```');
  });

  it('should clear the history after confirmation, and not on Escape', async () => {
    restoreSession();
    const calls = fakeApi({
      'GET /api/session_names': noSessions,
      'POST /api/get_history': () => history(['Human', 'Remember this'], ['AI', 'Noted']),
      'POST /api/clear_history': () => json({ status: 'success', session_id: SESSION, deleted_messages: 2 }),
    });
    const { user } = renderWithRouter(<ChatPage />);
    await user.click(await screen.findByRole('button', { name: 'Clear history' }));
    expect(screen.getByRole('dialog', { name: /clear this chat/i })).toBeInTheDocument();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(callsTo(calls, 'POST /api/clear_history')).toHaveLength(0);

    await user.click(screen.getByRole('button', { name: 'Clear history' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Clear history' }));

    await waitFor(() => expect(screen.queryByRole('log')).not.toBeInTheDocument());
    expect(callsTo(calls, 'POST /api/clear_history')[0]?.body).toEqual({ session_id: SESSION });
    expect(screen.getByText('How can I help you today?')).toBeInTheDocument();
  });
});
