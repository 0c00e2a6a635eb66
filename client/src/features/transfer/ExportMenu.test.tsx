import { screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setToken } from '../../api/auth';
import { apiError, callsTo, fakeApi } from '../../test/fakeApi';
import { renderWithRouter, SESSION } from '../../test/render';
import { fileNameFrom } from './download';
import { ExportMenu } from './ExportMenu';
import { TransferLinks } from './TransferLinks';

/** What the page handed to the browser as downloads: the file name and the blob's text. */
let saved: Array<{ name: string; text: Promise<string> }>;

beforeEach(() => {
  saved = [];
  const blobs = new Map<string, Blob>();
  vi.stubGlobal('URL', Object.assign(URL, {
    createObjectURL: (blob: Blob) => {
      const url = `blob:test/${blobs.size}`;
      blobs.set(url, blob);
      return url;
    },
    revokeObjectURL: (url: string) => blobs.delete(url),
  }));
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    saved.push({ name: this.download, text: blobs.get(this.href)!.text() });
  });
});

afterEach(() => vi.restoreAllMocks());

function file(body: string, disposition: string, type = 'text/markdown; charset=utf-8') {
  return new Response(body, { status: 200, headers: { 'Content-Type': type, 'Content-Disposition': disposition } });
}

describe(ExportMenu.name, () => {
  it('should download the chosen format with the token and the server’s file name', async () => {
    setToken('tok');
    const calls = fakeApi({
      'GET /api/sessions/{id}/export': () =>
        file('# Café ☕\n', `attachment; filename="Cafe _.md"; filename*=UTF-8''Caf%C3%A9%20%E2%98%95.md`),
    });
    const { user } = renderWithRouter(<ExportMenu sessionId={SESSION} saved />);

    await user.click(screen.getByRole('button', { name: 'Export' }));
    await user.click(screen.getByRole('menuitem', { name: 'Markdown' }));

    await waitFor(() => expect(saved).toHaveLength(1));
    expect(saved[0]!.name).toBe('Café ☕.md');
    expect(await saved[0]!.text).toBe('# Café ☕\n');
    const [call] = callsTo(calls, `GET /api/sessions/${SESSION}/export`);
    expect(call!.url.pathname).toBe(`/api/sessions/${SESSION}/export`);
    expect(call!.url.searchParams.get('format')).toBe('markdown');
    expect(call!.headers.get('Authorization')).toBe('Bearer tok');
    expect(screen.queryByRole('menu')).not.toBeInTheDocument();
  });

  it('should offer JSON, Markdown and PDF, reachable with the arrow keys, and close on Escape', async () => {
    const calls = fakeApi({
      'GET /api/sessions/{id}/export': () => file('%PDF-1.7', 'attachment; filename="Trip.pdf"', 'application/pdf'),
    });
    const { user } = renderWithRouter(<ExportMenu sessionId={SESSION} saved />);

    await user.click(screen.getByRole('button', { name: 'Export' }));
    expect(screen.getAllByRole('menuitem').map((item) => item.textContent)).toEqual(['JSON (can be imported again)', 'Markdown', 'PDF']);
    expect(screen.getByRole('menuitem', { name: /JSON/ })).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('menu')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Export' })).toHaveFocus();

    await user.keyboard('{Enter}');
    await user.keyboard('{ArrowUp}{Enter}');

    await waitFor(() => expect(saved.map((s) => s.name)).toEqual(['Trip.pdf']));
    expect(calls[0]!.url.searchParams.get('format')).toBe('pdf');
    expect(calls[0]!.headers.get('Authorization')).toBeNull(); // accounts off: no token, no header
  });

  it('should show the server’s detail when the export fails, and save nothing', async () => {
    fakeApi({ 'GET /api/sessions/{id}/export': () => apiError(404, 'session_not_found', 'Session 1111 not found') });
    const { user } = renderWithRouter(<ExportMenu sessionId={SESSION} saved />);

    await user.click(screen.getByRole('button', { name: 'Export' }));
    await user.click(screen.getByRole('menuitem', { name: /JSON/ }));

    expect(await screen.findByRole('alert')).toHaveTextContent('Session 1111 not found');
    expect(saved).toEqual([]);
  });

  it('should be disabled until the server has the chat', () => {
    fakeApi({});
    renderWithRouter(<ExportMenu sessionId={SESSION} saved={false} />);
    expect(screen.getByRole('button', { name: 'Export' })).toBeDisabled();
  });
});

describe('Export all', () => {
  it('should download every chat from /api/export with the token, under the server’s name', async () => {
    setToken('tok');
    const calls = fakeApi({
      'GET /api/export': () => file('{"format":"chat-sessions/1","sessions":[]}', 'attachment; filename="chat-sessions-2026-12-01.json"', 'application/json'),
    });
    const { user } = renderWithRouter(<TransferLinks onImported={() => undefined} onOpen={() => undefined} />);

    await user.click(screen.getByRole('button', { name: 'Export all' }));

    await waitFor(() => expect(saved.map((s) => s.name)).toEqual(['chat-sessions-2026-12-01.json']));
    expect(await saved[0]!.text).toContain('chat-sessions/1');
    expect(calls.map((c) => [c.key, c.headers.get('Authorization')])).toEqual([['GET /api/export', 'Bearer tok']]);
  });

  it('should say why when it fails', async () => {
    fakeApi({ 'GET /api/export': () => apiError(401, 'unauthorized', 'Sign in again') });
    const { user } = renderWithRouter(<TransferLinks onImported={() => undefined} onOpen={() => undefined} />);

    await user.click(screen.getByRole('button', { name: 'Export all' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('Export failed: Sign in again');
    expect(saved).toEqual([]);
  });
});

describe(fileNameFrom.name, () => {
  it.each([
    [`attachment; filename="a.json"; filename*=UTF-8''%E4%BD%A0%E5%A5%BD.json`, '你好.json'],
    ['attachment; filename="plain name.md"', 'plain name.md'],
    ['attachment; filename=bare.pdf', 'bare.pdf'],
    ['attachment; filename="../../etc/passwd"', 'passwd'],
    [`attachment; filename="ok.md"; filename*=UTF-8''%E0%A4%A`, 'ok.md'],
    ['attachment', 'fallback.json'],
    [null, 'fallback.json'],
  ])('should read %s as %s', (header, name) => {
    expect(fileNameFrom(header, 'fallback.json')).toBe(name);
  });
});
