/**
 * The composer's text kept across a sign-in: when the server signs the user out (401), the chat page is
 * replaced by the sign-in page, and the text typed (or just sent) must be there again afterwards.
 * sessionStorage: it survives a reload of this tab and nothing more.
 */
const DRAFT_KEY = 'chat_draft';

interface Draft {
  session_id: string;
  text: string;
}

export function saveDraft(sessionId: string, text: string): void {
  if (!text.trim()) return;
  sessionStorage.setItem(DRAFT_KEY, JSON.stringify({ session_id: sessionId, text } satisfies Draft));
}

/** The draft kept for this session, if any (it stays kept until `clearDraft`). */
export function readDraft(sessionId: string): string | undefined {
  try {
    const draft = JSON.parse(sessionStorage.getItem(DRAFT_KEY) ?? 'null') as Draft | null;
    return draft?.session_id === sessionId ? draft.text : undefined;
  } catch {
    return undefined;
  }
}

export function clearDraft(): void {
  sessionStorage.removeItem(DRAFT_KEY);
}

/** Carries a kept draft over to the session that replaces one the server did not know. */
export function moveDraft(fromSessionId: string, toSessionId: string): void {
  const text = readDraft(fromSessionId);
  if (text !== undefined) saveDraft(toSessionId, text);
}
