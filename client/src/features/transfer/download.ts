import { api, call } from '../../api/client';

export type ExportFormat = 'json' | 'markdown' | 'pdf';

/**
 * The file name of a `Content-Disposition` header: the UTF-8 `filename*` (RFC 6266) when there is one,
 * else the plain `filename`, with any path cut off; `fallback` when the header names none.
 */
export function fileNameFrom(header: string | null, fallback: string): string {
  const extended = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header ?? '')?.[1];
  const plain = /filename\s*=\s*(?:"([^"]*)"|([^;]+))/i.exec(header ?? '');
  let name = plain?.[1] ?? plain?.[2]?.trim();
  if (extended) {
    try {
      name = decodeURIComponent(extended.trim());
    } catch {
      // a malformed escape: keep the ASCII name
    }
  }
  const base = name?.split(/[\\/]/).pop()?.trim();
  return base || fallback;
}

/** Hands a blob to the browser as a download named `name` (an object URL, released once the click has started it). */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/*
 * Downloads go through the API client rather than a plain link, so that they carry the Authorization
 * header when accounts are on, and an error answer shows its `detail` instead of being saved as the file.
 */

/** Downloads one conversation; resolves to the saved file's name. */
export async function exportSession(sessionId: string, format: ExportFormat): Promise<string> {
  const { data, response } = await call(
    api.GET('/api/sessions/{session_id}/export', {
      params: { path: { session_id: sessionId }, query: { format } },
      parseAs: 'blob',
    }),
  );
  return save(data, response, `conversation.${format === 'markdown' ? 'md' : format}`);
}

/** Downloads every conversation of the caller as one `chat-sessions/1` JSON file. */
export async function exportAll(): Promise<string> {
  const { data, response } = await call(api.GET('/api/export', { parseAs: 'blob' }));
  return save(data, response, 'chat-sessions.json');
}

function save(blob: Blob, response: Response, fallback: string): string {
  const name = fileNameFrom(response.headers.get('Content-Disposition'), fallback);
  saveBlob(blob, name);
  return name;
}
