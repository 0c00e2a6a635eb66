/**
 * "Continue this chat" asked for in this tab, kept over a sign-in (a single sign-on leaves the app and
 * comes back to its first page). sessionStorage: this tab only, and it expires.
 */
const KEY = 'continue_share';
const TTL_MS = 15 * 60_000;

export function askToContinue(shareId: string): void {
  sessionStorage.setItem(KEY, JSON.stringify({ shareId, at: Date.now() }));
}

/** The share whose continuation was asked for in this tab, lately; undefined when none. */
export function pendingContinue(): string | undefined {
  try {
    const intent = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as { shareId: string; at: number } | null;
    return intent && Date.now() - intent.at < TTL_MS ? intent.shareId : undefined;
  } catch {
    return undefined;
  }
}

export function forgetContinue(): void {
  sessionStorage.removeItem(KEY);
}

export const continuePath = (shareId: string) => `/shared/${encodeURIComponent(shareId)}/continue`;
