import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { apiError, callsTo, fakeApi, json, type ApiCall } from '../../test/fakeApi';
import { OTHER, renderWithRouter, SESSION, summary } from '../../test/render';
import { ChatPage } from '../chat/ChatPage';

type Summary = ReturnType<typeof summary>;

/** Calls to one session's own route (`/api/sessions/{id}`) with this method. */
const sessionCalls = (calls: ApiCall[], method: 'GET' | 'PATCH') => calls.filter((c) => new RegExp(`^${method} /api/sessions/[^/]+$`).test(c.key));

const sidebar = () => within(screen.getByRole('complementary', { name: 'Chats' }));

/** A server holding two sessions: the listing orders pinned ones first, hides archived ones, and PATCH bumps the ETag. */
function organisingServer(conflict = false) {
  const sessions: Summary[] = [summary(SESSION, 'Trip to Lisbon', 5, 12), summary(OTHER, 'Sourdough', 60, 2, { tags: ['baking'] })];
  let version = 1;
  const calls = fakeApi({
    'GET /api/session_names': ({ url }) => {
      const archived = url.searchParams.get('archived') === 'true';
      const tag = url.searchParams.get('tag');
      const items = sessions
        .filter((s) => s.archived === archived && (!tag || s.tags.includes(tag)))
        .sort((a, b) => Number(b.pinned) - Number(a.pinned));
      return json(items, 200, { 'X-Total-Count': String(items.length) });
    },
    'GET /api/sessions/{id}': ({ url }) => {
      const found = sessions.find((s) => url.pathname.endsWith(s.session_id))!;
      return json(found, 200, { ETag: `"${version}.x"` });
    },
    'PATCH /api/sessions/{id}': ({ url, body, headers }) => {
      if (conflict || (headers.get('If-Match') && headers.get('If-Match') !== `"${version}.x"`)) {
        return apiError(412, 'precondition_failed', 'Session was changed since you read it.');
      }
      const index = sessions.findIndex((s) => url.pathname.endsWith(s.session_id));
      sessions[index] = { ...sessions[index]!, ...(body as Partial<Summary>) } as Summary;
      version++;
      return json(sessions[index], 200, { ETag: `"${version}.x"` });
    },
  });
  return { calls, sessions };
}

async function openMenu(user: ReturnType<typeof renderWithRouter>['user'], name: string) {
  const item = (await sidebar().findByText(name)).closest('li')!;
  await user.click(within(item).getByRole('button', { name: 'Chat actions' }));
  return within(item).getByRole('menu');
}

describe('organising chats in the sidebar', () => {
  it('should show pinned chats in their own group on top, with tags as chips', async () => {
    fakeApi({
      'GET /api/session_names': () =>
        json([summary(OTHER, 'Pinned one', 60, 2, { pinned: true, tags: ['work'] }), summary(SESSION, 'Recent one', 1, 2)], 200, { 'X-Total-Count': '2' }),
    });
    renderWithRouter(<ChatPage />);

    const pinned = await sidebar().findByRole('region', { name: 'Pinned chats' });
    expect(within(pinned).getByText('Pinned one')).toBeInTheDocument();
    expect(within(pinned).getByText('work')).toBeInTheDocument();
    expect(within(sidebar().getByRole('region', { name: 'Chats' })).getByText('Recent one')).toBeInTheDocument();
  });

  it('should rename in place with the ETag read when the menu opened', async () => {
    const { calls } = organisingServer();
    const { user } = renderWithRouter(<ChatPage />);

    const menu = await openMenu(user, 'Sourdough');
    await waitFor(() => expect(sessionCalls(calls, 'GET')).toHaveLength(1));
    await user.click(within(menu).getByRole('menuitem', { name: 'Rename' }));
    const input = sidebar().getByRole('textbox', { name: 'Chat name' });
    await user.clear(input);
    await user.type(input, 'Rye bread{Enter}');

    expect(await sidebar().findByText('Rye bread')).toBeInTheDocument();
    const patch = sessionCalls(calls, 'PATCH')[0]!;
    expect(patch.body).toEqual({ chat_name: 'Rye bread' });
    expect(patch.headers.get('If-Match')).toBe('"1.x"');
  });

  it('should pin a chat to the top and unpin it again', async () => {
    const { calls } = organisingServer();
    const { user } = renderWithRouter(<ChatPage />);

    await user.click(within(await openMenu(user, 'Sourdough')).getByRole('menuitem', { name: 'Pin' }));

    const pinned = await sidebar().findByRole('region', { name: 'Pinned chats' });
    expect(within(pinned).getByText('Sourdough')).toBeInTheDocument();
    await user.click(within(await openMenu(user, 'Sourdough')).getByRole('menuitem', { name: 'Unpin' }));
    await waitFor(() => expect(sidebar().queryByRole('region', { name: 'Pinned chats' })).not.toBeInTheDocument());
    expect(sessionCalls(calls, 'PATCH').map((c) => c.body)).toEqual([{ pinned: true }, { pinned: false }]);
  });

  it('should archive a chat out of the list and show it under the Archived filter', async () => {
    const { calls } = organisingServer();
    const { user } = renderWithRouter(<ChatPage />);

    await user.click(within(await openMenu(user, 'Trip to Lisbon')).getByRole('menuitem', { name: 'Archive' }));
    await waitFor(() => expect(sidebar().queryByText('Trip to Lisbon')).not.toBeInTheDocument());

    await user.click(sidebar().getByRole('button', { name: 'Archived', pressed: false }));
    const archived = await sidebar().findByRole('region', { name: 'Archived chats' });
    expect(within(archived).getByText('Trip to Lisbon')).toBeInTheDocument();
    expect(callsTo(calls, 'GET /api/session_names').at(-1)!.url.searchParams.get('archived')).toBe('true');
    await user.click(within(await openMenu(user, 'Trip to Lisbon')).getByRole('menuitem', { name: 'Unarchive' }));
    await waitFor(() => expect(sidebar().getByText('No archived chats.')).toBeInTheDocument());
  });

  it('should edit tags and filter the list by a tag chip', async () => {
    const { calls } = organisingServer();
    const { user } = renderWithRouter(<ChatPage />);

    await user.click(within(await openMenu(user, 'Trip to Lisbon')).getByRole('menuitem', { name: 'Edit tags' }));
    await user.type(sidebar().getByRole('textbox', { name: 'Tags, separated by commas' }), 'travel, Work {Enter}');
    await waitFor(() => expect(sessionCalls(calls, 'PATCH')).toHaveLength(1));
    expect(sessionCalls(calls, 'PATCH')[0]?.body).toEqual({ tags: ['travel', 'Work'] });

    const chips = sidebar().getByRole('group', { name: 'Filter by tag' });
    await user.click(within(chips).getByRole('button', { name: '#baking' }));
    await waitFor(() => expect(sidebar().queryByText('Trip to Lisbon')).not.toBeInTheDocument());
    expect(sidebar().getByText('Sourdough')).toBeInTheDocument();
    expect(callsTo(calls, 'GET /api/session_names').at(-1)!.url.searchParams.get('tag')).toBe('baking');
  });

  it('should say the chat changed in another tab on a 412, and reload', async () => {
    const { calls } = organisingServer(true);
    const { user } = renderWithRouter(<ChatPage />);

    await user.click(within(await openMenu(user, 'Sourdough')).getByRole('menuitem', { name: 'Pin' }));

    const alert = await sidebar().findByRole('alert');
    expect(alert).toHaveTextContent('changed in another tab — reload');
    expect(alert).toHaveTextContent('Session was changed since you read it.');
    const before = callsTo(calls, 'GET /api/session_names').length;
    await user.click(within(alert).getByRole('button', { name: 'Reload' }));
    await waitFor(() => expect(sidebar().queryByRole('alert')).not.toBeInTheDocument());
    expect(callsTo(calls, 'GET /api/session_names').length).toBe(before + 1);
  });
});
