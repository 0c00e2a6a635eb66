/**
 * The access token of AUTH_MODE=jwt and the "signed out by the server" signal. The token lives in memory
 * for the requests and in localStorage for reloads; only the auth provider loads it, so with accounts off
 * no Authorization header is ever sent.
 */
const TOKEN_KEY = 'access_token';

let token: string | null = null;
const expiredListeners = new Set<() => void>();

/** Makes the stored token (if any) the one requests carry. */
export function loadStoredToken(): string | null {
  token = localStorage.getItem(TOKEN_KEY);
  return token;
}

export function setToken(value: string | null): void {
  token = value;
  if (value === null) localStorage.removeItem(TOKEN_KEY);
  else localStorage.setItem(TOKEN_KEY, value);
}

/** Forgets the token in memory only (tests; the stored copy is left alone). */
export function resetToken(): void {
  token = null;
}

export function authHeaders(): Record<string, string> {
  return token === null ? {} : { Authorization: `Bearer ${token}` };
}

/** Called whenever the server answers 401 to a request that needed a signed-in user. */
export function onSignedOutByServer(listener: () => void): () => void {
  expiredListeners.add(listener);
  return () => expiredListeners.delete(listener);
}

// Sign-in and sign-up answer 401/403 for a wrong password: that is not a lost session.
const CREDENTIAL_ROUTES = ['/api/auth/login', '/api/auth/register'];

/** Tells the listeners (synchronously, so they can save what must survive) that the session is gone. */
export function noticeUnauthorized(url: string, status: number): void {
  if (status !== 401) return;
  const path = new URL(url, 'http://localhost').pathname.replace(/\/$/, '');
  if (CREDENTIAL_ROUTES.includes(path)) return;
  for (const listener of [...expiredListeners]) listener();
}
