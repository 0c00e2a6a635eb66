import { useCallback, useEffect, useState } from 'react';
import { loadStoredToken, onSignedOutByServer, setToken } from '../../api/auth';
import { ApiError, api, call, errorMessage } from '../../api/client';
import type { AuthConfig, AuthUser } from '../../api/types';
import { clearDraft } from '../chat/draft';

export type Sso = NonNullable<AuthConfig['sso']>;

export type AuthState =
  | { status: 'loading' }
  | { status: 'failed'; detail: string }
  | { status: 'off' }
  | { status: 'signed-out'; sso: Sso | null; notice: string | null; username?: string; ssoError?: string }
  | { status: 'signed-in'; sso: Sso | null; user: AuthUser };

/** Who used this browser last: another user signing in must not land in their chat. */
const USER_KEY = 'user_id';
const SESSION_KEY = 'session_id';
export const EXPIRED_NOTICE = 'You have been signed out. Sign in again to carry on: your message is kept.';

async function fetchConfig(): Promise<AuthConfig> {
  try {
    return (await call(api.GET('/api/auth/config'))).data;
  } catch (error) {
    // A server from before accounts has no such route: it is one without accounts.
    if (error instanceof ApiError && error.status === 404) return { mode: 'off', sso: null };
    throw error;
  }
}

const fetchMe = async () => (await call(api.GET('/api/auth/me'))).data;

/**
 * What single sign-on handed back in the address: a token (`#access_token=…`), kept, or why it
 * failed (`#sso_error=…`), returned to be shown. Either is removed from the address at once.
 */
function takeSsoResultFromAddress(): string | undefined {
  const params = new URLSearchParams(location.hash.slice(1));
  const token = params.get('access_token');
  const error = params.get('sso_error');
  if (!token && error === null) return undefined;
  if (token) setToken(token);
  history.replaceState(history.state, '', location.pathname + location.search);
  return error === null ? undefined : error || 'Single sign-on failed.';
}

function forgetUserState(): void {
  localStorage.removeItem(SESSION_KEY);
  localStorage.removeItem(USER_KEY);
  clearDraft();
}

function adopt(user: AuthUser): void {
  if (localStorage.getItem(USER_KEY) !== user.id) forgetUserState();
  localStorage.setItem(USER_KEY, user.id);
}

async function start(): Promise<AuthState> {
  const config = await fetchConfig();
  if (config.mode !== 'jwt') return { status: 'off' };
  const ssoError = takeSsoResultFromAddress();
  if (ssoError !== undefined) setToken(null);
  if (loadStoredToken() === null) return { status: 'signed-out', sso: config.sso, notice: null, ssoError };
  try {
    const user = await fetchMe();
    adopt(user);
    return { status: 'signed-in', sso: config.sso, user };
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) throw error;
    setToken(null);
    return { status: 'signed-out', sso: config.sso, notice: null };
  }
}

/** Reads the sign-in configuration, restores a stored token, and signs in, up and out. */
export function useAuthState() {
  const [state, setState] = useState<AuthState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    start().then(
      (next) => live && setState(next),
      (error: unknown) => live && setState({ status: 'failed', detail: errorMessage(error) }),
    );
    return () => {
      live = false;
    };
  }, [attempt]);

  const signedInAs = state.status === 'signed-in' ? state.user.username : null;
  const sso = state.status === 'signed-in' || state.status === 'signed-out' ? state.sso : null;

  useEffect(() => {
    if (signedInAs === null) return;
    return onSignedOutByServer(() => {
      setToken(null);
      setState({ status: 'signed-out', sso, notice: EXPIRED_NOTICE, username: signedInAs });
    });
  }, [signedInAs, sso]);

  const enter = useCallback(
    (user: AuthUser) => {
      adopt(user);
      setState({ status: 'signed-in', sso, user });
    },
    [sso],
  );

  const signIn = useCallback(
    async (username: string, password: string) => {
      const { data } = await call(api.POST('/api/auth/login', { body: { username, password } }));
      setToken(data.access_token);
      try {
        enter(await fetchMe());
      } catch (error) {
        setToken(null);
        throw error;
      }
    },
    [enter],
  );

  const signUp = useCallback(
    async (username: string, password: string) => {
      const { data } = await call(api.POST('/api/auth/register', { body: { username, password } }));
      setToken(data.access_token);
      enter(data.user);
    },
    [enter],
  );

  const signOut = useCallback(() => {
    setToken(null);
    forgetUserState();
    setState({ status: 'signed-out', sso, notice: null });
  }, [sso]);

  const retry = useCallback(() => {
    setState({ status: 'loading' });
    setAttempt((n) => n + 1);
  }, []);

  return { state, signIn, signUp, signOut, retry };
}
