import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { apiError, callsTo, fakeApi, json } from '../../test/fakeApi';
import { renderWithRouter, SESSION } from '../../test/render';
import { forgetLinks } from './links';
import { ShareButton } from './ShareButton';

const SHARE = 'AbCdEfGhIjKlMnOpQrStUv';
const SHARE_2 = 'ZyXwVuTsRqPoNmLkJiHgFe';

afterEach(forgetLinks);

function open(canShare = true) {
  const view = renderWithRouter(<ShareButton sessionId={SESSION} chatName="Trip to Kyōto" canShare={canShare} />);
  return { ...view, openDialog: () => view.user.click(screen.getByRole('button', { name: 'Share' })) };
}

describe('the share dialog', () => {
  it('should create a link, show it whole with a copy button, and copy it', async () => {
    const calls = fakeApi({ [`POST /api/sessions/${SESSION}/share`]: () => json({ share_id: SHARE, url: `/shared/${SHARE}` }, 201) });
    const { user, openDialog } = open();
    await openDialog();

    const dialog = screen.getByRole('dialog', { name: 'Share chat' });
    expect(dialog).toHaveAccessibleDescription(/Anyone with a link can read “Trip to Kyōto” as it is now, without signing in/);
    expect(within(dialog).getByRole('button', { name: 'Create link' })).toHaveFocus();
    await user.click(within(dialog).getByRole('button', { name: 'Create link' }));

    const link = await within(dialog).findByRole('textbox', { name: /^Link made at/ });
    expect(link).toHaveValue(`${location.origin}/shared/${SHARE}`);
    await waitFor(() => expect(within(dialog).getByRole('button', { name: 'Copy link' })).toHaveFocus());
    await user.click(within(dialog).getByRole('button', { name: 'Copy link' }));
    expect(await navigator.clipboard.readText()).toBe(`${location.origin}/shared/${SHARE}`);
    expect(within(dialog).getByRole('status')).toHaveTextContent('Link copied.');
    expect(within(dialog).getByRole('button', { name: 'Copied' })).toBeInTheDocument();
    expect(callsTo(calls, `POST /api/sessions/${SESSION}/share`)).toHaveLength(1);
  });

  it('should keep the links made here for the next opening, and revoke one', async () => {
    let next = [SHARE, SHARE_2];
    const calls = fakeApi({
      [`POST /api/sessions/${SESSION}/share`]: () => {
        const [id, ...rest] = next;
        next = rest;
        return json({ share_id: id, url: `/shared/${id}` }, 201);
      },
      'DELETE /api/sessions/{id}/share/{share}': () => new Response(null, { status: 204 }),
    });
    const { user, openDialog } = open();
    await openDialog();
    await user.click(screen.getByRole('button', { name: 'Create link' }));
    await user.click(await screen.findByRole('button', { name: 'Create a new link' }));
    await waitFor(() => expect(screen.getAllByRole('textbox')).toHaveLength(2));
    await user.click(screen.getByRole('button', { name: 'Done' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Share' })).toHaveFocus();

    await openDialog();
    const links = within(screen.getByRole('list', { name: 'Links to this chat' })).getAllByRole('listitem');
    expect(links.map((l) => within(l).getByRole('textbox')).map((i) => (i as HTMLInputElement).value)).toEqual([
      `${location.origin}/shared/${SHARE}`,
      `${location.origin}/shared/${SHARE_2}`,
    ]);
    await user.click(within(links[0]!).getByRole('button', { name: 'Revoke' }));

    await waitFor(() => expect(screen.getAllByRole('textbox')).toHaveLength(1));
    expect(screen.getByRole('textbox')).toHaveValue(`${location.origin}/shared/${SHARE_2}`);
    expect(screen.getByRole('status')).toHaveTextContent('Link revoked: it no longer opens the chat.');
    expect(screen.getByRole('button', { name: 'Create a new link' })).toHaveFocus();
    expect(callsTo(calls, `DELETE /api/sessions/${SESSION}/share/${SHARE}`)).toHaveLength(1);
  });

  it("should show the server's detail when the chat cannot be shared", async () => {
    fakeApi({ [`POST /api/sessions/${SESSION}/share`]: () => apiError(400, 'validation_failed', `Session ${SESSION} has no messages to share.`) });
    const { user, openDialog } = open();
    await openDialog();
    await user.click(screen.getByRole('button', { name: 'Create link' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('has no messages to share');
    expect(screen.queryByRole('textbox')).not.toBeInTheDocument();
  });

  it('should be disabled for a chat without messages on the server', () => {
    fakeApi({});
    open(false);
    expect(screen.getByRole('button', { name: 'Share' })).toBeDisabled();
  });
});
