import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { AppRoutes } from '../../App';
import { apiError, callsTo, fakeApi, json } from '../../test/fakeApi';
import { renderWithRouter } from '../../test/render';

const BOB = { id: 'bbbbbbbb-0000-4000-8000-000000000002', username: 'bob', role: 'user' as const };
const KEY_1 = '11111111-aaaa-4aaa-8aaa-000000000001';
const KEY_2 = '11111111-aaaa-4aaa-8aaa-000000000002';
const SECRET = 'csk_live_0123456789abcdefghijklmnopqrstuv';

const existing = [
  { id: KEY_1, name: 'backup script', created_at: '2026-11-20T10:00:00.000Z', last_used_at: '2026-11-30T08:15:00.000Z' },
  { id: KEY_2, name: 'grafana', created_at: '2026-11-21T10:00:00.000Z', last_used_at: null },
];

function signedInAsBob(handlers: Parameters<typeof fakeApi>[0]) {
  localStorage.setItem('access_token', 'token-of-bob');
  return fakeApi({
    'GET /api/auth/config': () => json({ mode: 'jwt', sso: null }),
    'GET /api/auth/me': () => json(BOB),
    ...handlers,
  });
}

const renderAccount = () => renderWithRouter(<AppRoutes />, '/account');
const keyTable = () => within(screen.getByRole('table', { name: 'Your API keys' }));

describe('the account page', () => {
  it("should show the user and list their API keys, with when each was last used", async () => {
    signedInAsBob({ 'GET /api/auth/keys': () => json(existing) });
    renderAccount();

    expect(await screen.findByRole('heading', { level: 1, name: 'Account' })).toBeInTheDocument();
    expect(await screen.findByRole('table', { name: 'Your API keys' })).toBeInTheDocument();
    expect(screen.getByText('bob')).toBeInTheDocument();
    const rows = keyTable().getAllByRole('row').slice(1);
    expect(rows.map((row) => within(row).getByRole('rowheader').textContent)).toEqual(['backup script', 'grafana']);
    expect(within(rows[1]!).getByText('Never')).toBeInTheDocument();
  });

  it('should create a key and show it once, with a copy button, until Done', async () => {
    const calls = signedInAsBob({
      'GET /api/auth/keys': () => json([]),
      'POST /api/auth/keys': () => json({ id: KEY_1, name: 'ci runner', key: SECRET }, 201),
    });
    const { user } = renderAccount();
    expect(await screen.findByText('No API keys yet.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Create key' })).toBeDisabled();

    await user.type(screen.getByRole('textbox', { name: 'New key name' }), 'ci runner');
    await user.click(screen.getByRole('button', { name: 'Create key' }));

    const shown = await screen.findByRole('region', { name: 'Key “ci runner” created' });
    expect(within(shown).getByText(SECRET)).toBeInTheDocument();
    expect(within(shown).getByText('Copy it now: it will not be shown again.')).toBeInTheDocument();
    expect(within(shown).getByRole('heading', { name: 'Key “ci runner” created' })).toHaveFocus();
    expect(callsTo(calls, 'POST /api/auth/keys')[0]?.body).toEqual({ name: 'ci runner' });
    expect(screen.getByRole('textbox', { name: 'New key name' })).toHaveValue('');
    expect(keyTable().getByRole('rowheader', { name: 'ci runner' })).toBeInTheDocument();

    await user.click(within(shown).getByRole('button', { name: 'Copy API key' }));
    expect(await navigator.clipboard.readText()).toBe(SECRET);

    await user.click(within(shown).getByRole('button', { name: 'Done' }));
    expect(screen.queryByText(SECRET)).not.toBeInTheDocument();
    expect(keyTable().getByRole('rowheader', { name: 'ci runner' })).toBeInTheDocument();
  });

  it("should show the server's detail when a key cannot be created", async () => {
    signedInAsBob({
      'GET /api/auth/keys': () => json([]),
      'POST /api/auth/keys': () => apiError(400, 'validation_failed', 'name must be shorter than or equal to 100 characters'),
    });
    const { user } = renderAccount();
    await user.type(await screen.findByRole('textbox', { name: 'New key name' }), 'x');
    await user.click(screen.getByRole('button', { name: 'Create key' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('name must be shorter than or equal to 100 characters');
    expect(screen.queryByRole('region', { name: /created/ })).not.toBeInTheDocument();
  });

  it('should revoke a key only after confirmation, and not on Escape', async () => {
    const calls = signedInAsBob({
      'GET /api/auth/keys': () => json(existing),
      'DELETE /api/auth/keys/{id}': () => new Response(null, { status: 204 }),
    });
    const { user } = renderAccount();
    const revoke = await screen.findByRole('button', { name: 'Revoke grafana' });

    await user.click(revoke);
    const dialog = screen.getByRole('dialog', { name: 'Revoke API key?' });
    expect(dialog).toHaveAccessibleDescription(/“grafana” will be refused at once/);
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(revoke).toHaveFocus();
    expect(callsTo(calls, 'DELETE /api/auth/keys/{id}')).toHaveLength(0);

    await user.click(revoke);
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Revoke' }));

    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(calls.filter((c) => c.key.startsWith('DELETE')).map((c) => c.url.pathname)).toEqual([`/api/auth/keys/${KEY_2}`]);
    expect(keyTable().queryByRole('rowheader', { name: 'grafana' })).not.toBeInTheDocument();
    expect(keyTable().getByRole('rowheader', { name: 'backup script' })).toBeInTheDocument();
  });

  it('should keep the dialog open with the detail when revoking fails', async () => {
    signedInAsBob({
      'GET /api/auth/keys': () => json(existing),
      'DELETE /api/auth/keys/{id}': () => apiError(404, 'api_key_not_found', 'No such API key.'),
    });
    const { user } = renderAccount();
    await user.click(await screen.findByRole('button', { name: 'Revoke grafana' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Revoke' }));
    expect(await within(screen.getByRole('dialog')).findByRole('alert')).toHaveTextContent('No such API key.');
  });

  it('should say that accounts are off instead of calling the key routes', async () => {
    const calls = fakeApi({ 'GET /api/auth/config': () => json({ mode: 'off', sso: null }) });
    renderAccount();
    expect(await screen.findByRole('heading', { name: 'No accounts on this server' })).toBeInTheDocument();
    expect(calls.map((c) => c.key)).toEqual(['GET /api/auth/config']);
  });
});
