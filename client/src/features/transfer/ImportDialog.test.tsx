import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { apiError, callsTo, fakeApi, json } from '../../test/fakeApi';
import { OTHER, renderWithRouter, SESSION, summary } from '../../test/render';
import { ChatPage } from '../chat/ChatPage';

const CHATGPT = [
  { title: 'Sourdough', mapping: {}, current_node: 'a' },
  { title: 'System only', mapping: {}, current_node: 'b' },
  { title: '', mapping: {}, current_node: 'c' },
];
const exportFile = (body: unknown = CHATGPT, name = 'conversations.json') => new File([JSON.stringify(body)], name, { type: 'application/json' });

const report = (imported: number, ids: string[] = []) => ({
  format: 'chatgpt',
  imported,
  session_ids: ids,
  skipped: [
    { index: 1, title: 'System only', reason: 'no user or assistant messages' },
    { index: 2, title: '', reason: 'no user or assistant messages' },
  ],
});

const history = (sessionId: string) => json({ status: 'success', session_id: sessionId, history: [], messages: [], has_more: false });
const dialog = () => within(screen.getByRole('dialog', { name: 'Import chats' }));

/** The chat page with the import dialog open; `names` answers the sidebar's list. */
async function openDialog(handlers: Parameters<typeof fakeApi>[0], names = () => json([], 200, { 'X-Total-Count': '0' })) {
  const calls = fakeApi({ 'GET /api/session_names': names, ...handlers });
  const view = renderWithRouter(<ChatPage />);
  await view.user.click(screen.getByRole('button', { name: 'Import chats' }));
  return { calls, ...view };
}

describe('ImportDialog', () => {
  it('should show the dry run’s report, with the skipped chats, before anything is imported', async () => {
    const { calls, user } = await openDialog({ 'POST /api/sessions/import': () => json(report(1)) });

    await user.upload(dialog().getByLabelText('File to import'), exportFile());

    expect(await dialog().findByText('“conversations.json” is a ChatGPT export: 1 chat will be imported.')).toBeInTheDocument();
    const skipped = within(dialog().getByRole('list', { name: 'Skipped chats' })).getAllByRole('listitem');
    expect(skipped.map((li) => li.textContent)).toEqual([
      '#1 System onlyno user or assistant messages',
      '#2 Untitledno user or assistant messages',
    ]);
    const [dry] = callsTo(calls, 'POST /api/sessions/import');
    expect(dry!.url.searchParams.get('dry_run')).toBe('true');
    expect(dry!.body).toEqual(CHATGPT);
    expect(dry!.headers.get('Content-Type')).toMatch(/application\/json/);
    expect(dialog().getByRole('button', { name: 'Import' })).toBeEnabled();
  });

  it('should import for real, refresh the list and open the first imported chat', async () => {
    let stored = false;
    const { calls, user } = await openDialog(
      {
        'POST /api/sessions/import': ({ url }) => {
          if (url.searchParams.get('dry_run') === 'true') return json(report(1));
          stored = true;
          return json(report(1, [OTHER]), 201);
        },
        'POST /api/get_history': ({ body }) => history((body as { session_id: string }).session_id),
      },
      () => json(stored ? [summary(OTHER, 'Sourdough', 1, 4)] : [], 200, { 'X-Total-Count': stored ? '1' : '0' }),
    );
    localStorage.setItem('session_id', SESSION);

    await user.upload(dialog().getByLabelText('File to import'), exportFile());
    await user.click(await dialog().findByRole('button', { name: 'Import' }));

    expect(await dialog().findByText('Imported 1 chat from “conversations.json”.')).toBeInTheDocument();
    expect(await screen.findByRole('button', { name: /Sourdough/ })).toBeInTheDocument(); // the sidebar, refreshed
    expect(callsTo(calls, 'POST /api/sessions/import').map((c) => c.url.searchParams.get('dry_run'))).toEqual(['true', 'false']);

    await user.click(dialog().getByRole('button', { name: 'Open the chat' }));

    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: /Sourdough/ })).toHaveAttribute('aria-current', 'page');
    expect(localStorage.getItem('session_id')).toBe(OTHER);
  });

  it('should take a dropped file', async () => {
    await openDialog({ 'POST /api/sessions/import': () => json(report(1)) });

    fireEvent.drop(dialog().getByText('Drop a .json file here, or').parentElement!, { dataTransfer: { files: [exportFile()] } });

    expect(await dialog().findByText(/1 chat will be imported/)).toBeInTheDocument();
  });

  it('should show the server’s detail for a file it cannot read, and offer no import', async () => {
    const detail = 'The file cannot be imported: conversation 3: mapping is not an object';
    const { user } = await openDialog({ 'POST /api/sessions/import': () => apiError(400, 'import_unreadable', detail) });

    await user.upload(dialog().getByLabelText('File to import'), exportFile());

    expect(await dialog().findByRole('alert')).toHaveTextContent(`“conversations.json”: ${detail}`);
    expect(dialog().getByRole('button', { name: 'Import' })).toBeDisabled();
  });

  it('should show the size limit’s 413', async () => {
    const { user } = await openDialog({
      'POST /api/sessions/import': () => apiError(413, 'payload_too_large', 'The body is over the 10 MB limit'),
    });

    await user.upload(dialog().getByLabelText('File to import'), exportFile());

    expect(await dialog().findByRole('alert')).toHaveTextContent('The body is over the 10 MB limit');
  });

  it('should refuse a file that is not JSON without sending it', async () => {
    const { calls, user } = await openDialog({});

    await user.upload(dialog().getByLabelText('File to import'), new File(['not json'], 'notes.json'));

    expect(await dialog().findByRole('alert')).toHaveTextContent('“notes.json”: This is not a JSON file');
    expect(callsTo(calls, 'POST /api/sessions/import')).toEqual([]);
  });

  it('should keep the report and allow another try when the real import fails', async () => {
    let attempts = 0;
    const { user } = await openDialog({
      'POST /api/sessions/import': ({ url }) =>
        url.searchParams.get('dry_run') === 'true' || ++attempts > 1 ? json(report(1, [OTHER]), 201) : apiError(503, 'store_unavailable', 'The database is not reachable'),
    });

    await user.upload(dialog().getByLabelText('File to import'), exportFile());
    await user.click(await dialog().findByRole('button', { name: 'Import' }));

    expect(await dialog().findByRole('alert')).toHaveTextContent('The import failed: The database is not reachable');
    expect(dialog().getByText(/1 chat will be imported/)).toBeInTheDocument();
    await user.click(dialog().getByRole('button', { name: 'Import' }));
    expect(await dialog().findByText('Imported 1 chat from “conversations.json”.')).toBeInTheDocument();
  });

  it('should not offer an import when nothing in the file can be imported', async () => {
    const { user } = await openDialog({ 'POST /api/sessions/import': () => json(report(0)) });

    await user.upload(dialog().getByLabelText('File to import'), exportFile());

    expect(await dialog().findByText('“conversations.json” is a ChatGPT export, but it has no chat to import.')).toBeInTheDocument();
    expect(dialog().getByRole('button', { name: 'Import' })).toBeDisabled();
  });
});
