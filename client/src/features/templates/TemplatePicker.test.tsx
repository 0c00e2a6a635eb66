import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { apiError, callsTo, fakeApi, json, sse } from '../../test/fakeApi';
import { done, renderWithRouter } from '../../test/render';
import { ChatPage } from '../chat/ChatPage';

const template = (id: string, name: string, category: string, starter_prompts: string[], builtin = true) => ({
  id,
  name,
  category,
  system_prompt: `You are the ${name}.`,
  starter_prompts,
  model: null,
  temperature: 0.3,
  memory: null,
  builtin,
});

const TEMPLATES = [
  template('general-assistant', 'General assistant', 'general', ['Help me plan my week']),
  template('code-reviewer', 'Code reviewer', 'development', ['Review this function', 'Is this SQL query safe?']),
  template('0b6c1f4e-9a53-4d8e-8f57-2f1d9d7a0c11', 'French tutor', 'learning', ['Correct my sentence'], false),
];

const noSessions = () => json([], 200, { 'X-Total-Count': '0' });
const reply = (text: string) => () => sse([['token', { text }], ['done', done(text)]]);
const streamBodies = (calls: ReturnType<typeof fakeApi>) => callsTo(calls, 'POST /api/generate/stream').map((c) => c.body as Record<string, unknown>);

async function openPicker(user: ReturnType<typeof renderWithRouter>['user']) {
  await user.click(await screen.findByRole('button', { name: 'Start from a template' }));
  return screen.getByRole('dialog', { name: 'Start from a template' });
}

describe('the template picker', () => {
  it('should list the built-in templates and ones own by category, and start the chat from the one chosen', async () => {
    const calls = fakeApi({
      'GET /api/session_names': noSessions,
      'GET /api/templates': () => json(TEMPLATES),
      'POST /api/generate/stream': reply('Happy to review it.'),
    });
    const { user } = renderWithRouter(<ChatPage />);

    const dialog = await openPicker(user);
    const groups = await within(dialog).findAllByRole('region');
    expect(groups.map((g) => within(g).getByRole('heading').textContent)).toEqual(['general', 'development', 'learning']);
    expect(within(groups[0]!).getByRole('button', { name: 'General assistant' })).toHaveFocus();
    const own = within(groups[2]!).getByRole('button', { name: 'French tutor yours' });
    expect(own).toHaveAccessibleDescription('You are the French tutor.');

    await user.click(within(dialog).getByRole('button', { name: 'Code reviewer' }));

    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(screen.getByText(/Starting from the template/)).toHaveTextContent('Starting from the template Code reviewer.');
    const suggestions = within(screen.getByRole('list', { name: 'Suggestions' })).getAllByRole('button');
    expect(suggestions.map((b) => b.textContent)).toEqual(['Review this function', 'Is this SQL query safe?']);
    expect(suggestions[0]).toHaveFocus();
    expect(callsTo(calls, 'GET /api/templates')).toHaveLength(1);
  });

  it('should send a starter prompt with the template id, and later turns without it', async () => {
    const calls = fakeApi({
      'GET /api/session_names': noSessions,
      'GET /api/templates': () => json(TEMPLATES),
      'POST /api/generate/stream': reply('Sure.'),
    });
    const { user } = renderWithRouter(<ChatPage />);
    const dialog = await openPicker(user);
    await user.click(await within(dialog).findByRole('button', { name: 'Code reviewer' }));

    await user.click(screen.getByRole('button', { name: 'Is this SQL query safe?' }));
    const log = await screen.findByRole('log', { name: 'Conversation' });
    await within(log).findByText('Sure.');
    await user.type(screen.getByRole('textbox', { name: 'Message' }), 'And this one?{Enter}');
    await waitFor(() => expect(streamBodies(calls)).toHaveLength(2));

    const [first, second] = streamBodies(calls);
    expect(first).toEqual({ prompt: 'Is this SQL query safe?', session_id: localStorage.getItem('session_id'), template_id: 'code-reviewer' });
    expect(second).toEqual({ prompt: 'And this one?', session_id: first?.session_id });
    expect(screen.queryByRole('list', { name: 'Suggestions' })).not.toBeInTheDocument();
  });

  it("should show the server's refusal of a template's first turn, and send the template again on retry", async () => {
    let refuse = true;
    const calls = fakeApi({
      'GET /api/session_names': noSessions,
      'GET /api/templates': () => json(TEMPLATES),
      'POST /api/generate/stream': () =>
        refuse ? apiError(400, 'validation_failed', 'Template "Code reviewer" uses the model "gpt-3", which this service no longer allows.') : reply('Now it works.')(),
    });
    const { user } = renderWithRouter(<ChatPage />);
    await user.click(await within(await openPicker(user)).findByRole('button', { name: 'Code reviewer' }));
    await user.click(screen.getByRole('button', { name: 'Review this function' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('no longer allows');
    refuse = false;
    await user.click(screen.getByRole('button', { name: 'Retry' }));
    await within(screen.getByRole('log', { name: 'Conversation' })).findByText('Now it works.');
    expect(streamBodies(calls).map((b) => b.template_id)).toEqual(['code-reviewer', 'code-reviewer']);
  });

  it('should drop the template with "No template", and show why the templates did not load with a retry', async () => {
    let fail = true;
    const calls = fakeApi({
      'GET /api/session_names': noSessions,
      'GET /api/templates': () => (fail ? apiError(503, 'store_unavailable', 'The database is not reachable.') : json(TEMPLATES)),
      'POST /api/generate/stream': reply('Hello.'),
    });
    const { user } = renderWithRouter(<ChatPage />);
    const dialog = await openPicker(user);
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('The database is not reachable.');
    fail = false;
    await user.click(within(dialog).getByRole('button', { name: 'Retry' }));
    await user.click(await within(dialog).findByRole('button', { name: 'General assistant' }));

    await user.click(screen.getByRole('button', { name: 'No template' }));
    expect(screen.getByRole('button', { name: 'Start from a template' })).toHaveFocus();
    await user.type(screen.getByRole('textbox', { name: 'Message' }), 'Hi{Enter}');
    await waitFor(() => expect(streamBodies(calls)).toHaveLength(1));
    expect(streamBodies(calls)[0]).not.toHaveProperty('template_id');
  });

  it('should close on Escape and give the focus back', async () => {
    fakeApi({ 'GET /api/session_names': noSessions, 'GET /api/templates': () => json(TEMPLATES) });
    const { user } = renderWithRouter(<ChatPage />);
    await openPicker(user);
    await screen.findByRole('button', { name: 'Code reviewer' });
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Start from a template' })).toHaveFocus();
  });
});
