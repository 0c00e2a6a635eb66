import { api, ApiError, call } from '../../api/client';
import type { SessionChange, SessionSummary } from '../../api/types';

export interface Versioned {
  session: SessionSummary;
  /** The version the server named; sent back as If-Match. */
  etag: string | null;
}

/** Shown for a 412: another tab (or person) changed the session after this one read it. */
export const CONFLICT_MESSAGE = 'This chat was changed in another tab — reload to see the change.';

export function isConflict(error: unknown): boolean {
  return error instanceof ApiError && error.status === 412;
}

/** The session as it is now, with its ETag. */
export async function readSession(sessionId: string): Promise<Versioned> {
  const { data, response } = await call(api.GET('/api/sessions/{session_id}', { params: { path: { session_id: sessionId } } }));
  return { session: data, etag: response.headers.get('ETag') };
}

/** Renames, pins, archives or tags; with `etag`, only if nobody changed the session since (else a 412 ApiError). */
export async function changeSession(sessionId: string, change: SessionChange, etag: string | null): Promise<Versioned> {
  const { data, response } = await call(
    api.PATCH('/api/sessions/{session_id}', {
      params: { path: { session_id: sessionId } },
      body: change,
      headers: etag ? { 'If-Match': etag } : {},
    }),
  );
  return { session: data, etag: response.headers.get('ETag') };
}

/** Tags as a person types them: comma-separated; the server trims, lower-cases and merges them. */
export function parseTags(text: string): string[] {
  return text
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
}
