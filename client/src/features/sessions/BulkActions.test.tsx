import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { callsTo, fakeApi, json } from '../../test/fakeApi';
import { OTHER, renderWithRouter, SESSION, summary } from '../../test/render';
import { ChatPage } from '../chat/ChatPage';

type Summary = ReturnType<typeof summary>;
interface BulkBody {
  filter: { session_ids?: string[]; archived?: boolean; q?: string; tag?: string };
  action: string;
  dry_run?: boolean;
}

const THIRD = '33333333-3333-4333-8333-333333333333';
const sidebar = () => within(screen.getByRole('complementary', { name: 'Chats' }));
const emptyHistory = (sessionId: string) => json({ status: 'success', session_id: sessionId, history: [], messages: [], has_more: false });

/** A server with three chats whose bulk route acts on the ids (or the archived filter) it is given. */
function bulkServer(extra: Summary[] = []) {
  let sessions: Summary[] = [summary(SESSION, 'Trip to Lisbon', 5, 12), summary(OTHER, 'Sourdough', 60, 2), summary(THIRD, 'Tax forms', 60 * 30, 4), ...extra];
  const calls = fakeApi({
    'GET /api/session_names': ({ url }) => {
      const archived = url.searchParams.get('archived') === 'true';
      const items = sessions.filter((s) => s.archived === archived);
      const limit = Number(url.searchParams.get('limit') ?? 1000);
      return json(items.slice(0, limit), 200, { 'X-Total-Count': String(items.length) });
    },
    'POST /api/get_history': () => emptyHistory(SESSION),
    'GET /api/sessions/{id}': ({ url }) => {
      const found = sessions.find((s) => url.pathname.endsWith(s.session_id));
      return found ? json(found) : json({ status: 404, code: 'session_not_found', detail: 'Session not found' }, 404);
    },
    'POST /api/sessions/bulk': ({ body }) => {
      const { filter, action, dry_run } = body as BulkBody;
      const matched = sessions.filter((s) => (filter.session_ids ? filter.session_ids.includes(s.session_id) : s.archived === filter.archived));
      const affected = matched.filter((s) => (action === 'archive' ? !s.archived : action === 'unarchive' ? s.archived : true));
      if (!dry_run) {
        const ids = new Set(affected.map((s) => s.session_id));
        sessions =
          action === 'delete'
            ? sessions.filter((s) => !ids.has(s.session_id))
            : sessions.map((s) => (ids.has(s.session_id) ? { ...s, archived: action === 'archive' } : s));
      }
      return json({ matched: matched.length, affected: affected.length, sample: affected.slice(0, 20).map((s) => ({ session_id: s.session_id, chat_name: s.chat_name })) });
    },
  });
  return calls;
}

const bulkBodies = (calls: ReturnType<typeof fakeApi>) => callsTo(calls, 'POST /api/sessions/bulk').map((c) => c.body as BulkBody);

describe('bulk actions in the sidebar', () => {
  it('should archive the ticked chats in one request, and show them under Archived', async () => {
    const calls = bulkServer();
    const { user } = renderWithRouter(<ChatPage />);
    await sidebar().findByText('Sourdough');

    await user.click(sidebar().getByRole('button', { name: 'Select', pressed: false }));
    await user.click(sidebar().getByRole('checkbox', { name: 'Sourdough' }));
    await user.click(sidebar().getByRole('checkbox', { name: 'Tax forms' }));
    const bar = sidebar().getByRole('toolbar', { name: 'Act on selected chats' });
    expect(within(bar).getByRole('status')).toHaveTextContent('2 selected');
    await user.click(within(bar).getByRole('button', { name: 'Archive' }));

    expect(await sidebar().findByRole('status')).toHaveTextContent('Archived 2 chats.');
    expect(bulkBodies(calls)).toEqual([{ filter: { session_ids: [OTHER, THIRD] }, action: 'archive', dry_run: false }]);
    await waitFor(() => expect(sidebar().queryByText('Sourdough')).not.toBeInTheDocument());
    expect(sidebar().queryByRole('checkbox')).not.toBeInTheDocument();
    await user.click(sidebar().getByRole('button', { name: 'Archived', pressed: false }));
    const archived = await sidebar().findByRole('region', { name: 'Archived chats' });
    expect(within(archived).getByText('Sourdough')).toBeInTheDocument();
    expect(within(archived).getByText('Tax forms')).toBeInTheDocument();
  });

  it('should show the dry-run count before a delete, and delete only on confirmation', async () => {
    localStorage.setItem('session_id', SESSION);
    const calls = bulkServer();
    const { user } = renderWithRouter(<ChatPage />);
    await sidebar().findByText('Sourdough');

    await user.click(sidebar().getByRole('button', { name: 'Select' }));
    await user.click(sidebar().getByRole('button', { name: 'Select all' }));
    expect(sidebar().getByRole('toolbar')).toHaveTextContent('3 selected');
    await user.click(sidebar().getByRole('checkbox', { name: 'Tax forms' }));
    await user.click(sidebar().getByRole('button', { name: 'Delete…' }));

    const dialog = await screen.findByRole('dialog', { name: 'Delete 2 chats?' });
    expect(dialog).toHaveTextContent('This will delete 2 chats and all their messages for good.');
    expect(within(dialog).getByText('Trip to Lisbon')).toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    expect(bulkBodies(calls)).toEqual([{ filter: { session_ids: [SESSION, OTHER] }, action: 'delete', dry_run: true }]);
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(bulkBodies(calls)).toHaveLength(1);

    await user.click(sidebar().getByRole('button', { name: 'Delete…' }));
    await user.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Delete 2 chats' }));

    expect(await sidebar().findByText('Deleted 2 chats.')).toBeInTheDocument();
    expect(bulkBodies(calls).at(-1)).toEqual({ filter: { session_ids: [SESSION, OTHER] }, action: 'delete', dry_run: false });
    await waitFor(() => expect(sidebar().queryByText('Sourdough')).not.toBeInTheDocument());
    expect(sidebar().getByText('Tax forms')).toBeInTheDocument();
    // The open chat was one of them: a new one takes its place.
    expect(localStorage.getItem('session_id')).not.toBe(SESSION);
  });

  it('should act on every chat the list matches, beyond the loaded page, with the count from the dry run', async () => {
    const many = Array.from({ length: 30 }, (_, i) => summary(`00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, `Old chat ${i}`, 60 * 24 * 40 + i, 2));
    const calls = bulkServer(many);
    const { user } = renderWithRouter(<ChatPage />);
    await sidebar().findByText('Sourdough');

    await user.click(sidebar().getByRole('button', { name: 'Select' }));
    await user.click(sidebar().getByRole('button', { name: 'All 33 chats' }));
    expect(sidebar().getByRole('toolbar')).toHaveTextContent('All 33 chats matching');
    await user.click(sidebar().getByRole('button', { name: 'Delete…' }));

    const dialog = await screen.findByRole('dialog', { name: 'Delete 33 chats?' });
    expect(dialog).toHaveTextContent('and 28 chats more');
    expect(bulkBodies(calls)).toEqual([{ filter: { archived: false }, action: 'delete', dry_run: true }]);
  });

  it('should leave the chats as they are when select mode is left', async () => {
    const calls = bulkServer();
    const { user } = renderWithRouter(<ChatPage />);
    await sidebar().findByText('Sourdough');

    await user.click(sidebar().getByRole('button', { name: 'Select' }));
    await user.click(sidebar().getByRole('checkbox', { name: 'Sourdough' }));
    await user.click(sidebar().getByRole('button', { name: 'Done' }));

    expect(sidebar().queryByRole('checkbox')).not.toBeInTheDocument();
    expect(sidebar().getByRole('button', { name: /Sourdough/ })).toBeInTheDocument();
    expect(bulkBodies(calls)).toEqual([]);
  });
});

describe('day groups in the sidebar', () => {
  it('should group the chats as Today, Yesterday, Previous 7 days and Older, with pinned ones on top', async () => {
    const now = new Date();
    const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000).toISOString();
    const startOfToday = new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime();
    const at = (days: number) => new Date(startOfToday - days * 86_400_000 + 3_600_000).toISOString();
    const chat = (id: string, name: string, last: string, pinned = false) => ({ ...summary(id, name, 0, 2, { pinned }), last_activity: last });
    fakeApi({
      'GET /api/session_names': () =>
        json(
          [
            chat(THIRD, 'Pinned long ago', at(40), true),
            chat(SESSION, 'Just now', hoursAgo(0)),
            chat('44444444-4444-4444-8444-444444444444', 'Yesterday chat', at(1)),
            chat('55555555-5555-4555-8555-555555555555', 'Three days back', at(3)),
            chat(OTHER, 'Last month', at(40)),
          ],
          200,
          { 'X-Total-Count': '5' },
        ),
    });
    renderWithRouter(<ChatPage />);

    const pinned = await sidebar().findByRole('region', { name: 'Pinned chats' });
    expect(within(pinned).getByText('Pinned long ago')).toBeInTheDocument();
    const chats = sidebar().getByRole('region', { name: 'Chats' });
    const groups = within(chats).getAllByRole('group');
    expect(groups.map((g) => [g.getAttribute('aria-label'), within(g).getAllByRole('listitem').map((li) => li.querySelector('.session-name')!.textContent)])).toEqual([
      ['Today', ['Just now']],
      ['Yesterday', ['Yesterday chat']],
      ['Previous 7 days', ['Three days back']],
      ['Older', ['Last month']],
    ]);
    expect(within(groups[0]!).getByRole('heading', { level: 3 })).toHaveTextContent('Today');
  });
});
