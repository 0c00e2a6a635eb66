import { api, ApiError, call } from '../../api/client';

export interface ShareLink {
  shareId: string;
  /** The page to give people, absolute. */
  url: string;
  createdAt: Date;
}

/**
 * The links made in this tab, by session: the server can revoke a link but does not list them, so a
 * link is offered for revoking where it was made (until the page is reloaded).
 */
const made = new Map<string, ShareLink[]>();

export const linksMadeFor = (sessionId: string): ShareLink[] => made.get(sessionId) ?? [];

/** Snapshots the conversation as it is now; the link is its page in this app. */
export async function createLink(sessionId: string): Promise<ShareLink> {
  const { data } = await call(api.POST('/api/sessions/{session_id}/share', { params: { path: { session_id: sessionId } } }));
  const link = { shareId: data.share_id, url: new URL(data.url, location.origin).href, createdAt: new Date() };
  made.set(sessionId, [...linksMadeFor(sessionId), link]);
  return link;
}

/** Revokes a link; one already gone (revoked elsewhere, or its chat deleted) is what was wanted. */
export async function revokeLink(sessionId: string, shareId: string): Promise<void> {
  try {
    await call(api.DELETE('/api/sessions/{session_id}/share/{share_id}', { params: { path: { session_id: sessionId, share_id: shareId } } }));
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 404)) throw error;
  }
  made.set(
    sessionId,
    linksMadeFor(sessionId).filter((l) => l.shareId !== shareId),
  );
}

/** Forgets every link (tests). */
export function forgetLinks(): void {
  made.clear();
}
