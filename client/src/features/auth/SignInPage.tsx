import { useId, useRef, useState, type FormEvent } from 'react';
import { errorMessage } from '../../api/client';
import type { Sso } from './hooks';
import '../../styles/auth.css';

interface SignInPageProps {
  sso: Sso | null;
  /** Why the user is here again (signed out by the server), if that is why. */
  notice: string | null;
  /** Why the last single sign-on did not sign in, as the server said it. */
  ssoError?: string;
  /** Who was signed in before the server signed them out, to save typing it again. */
  username?: string;
  onSignIn: (username: string, password: string) => Promise<void>;
  onSignUp: (username: string, password: string) => Promise<void>;
}

/** Sign in or create an account with a username and password, or sign in through the single sign-on provider. */
export function SignInPage({ sso, notice, ssoError, username: known = '', onSignIn, onSignUp }: SignInPageProps) {
  const [signUp, setSignUp] = useState(false);
  const [username, setUsername] = useState(known);
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const usernameInput = useRef<HTMLInputElement>(null);
  const hintId = useId();
  const title = signUp ? 'Create an account' : 'Sign in';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await (signUp ? onSignUp : onSignIn)(username.trim(), password);
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };

  const switchMode = () => {
    setSignUp((on) => !on);
    setError(null);
    usernameInput.current?.focus();
  };

  return (
    <main className="auth-page">
      <title>{`${title} · Chat`}</title>
      <div className="auth-card">
        <div className="auth-brand" aria-hidden="true">
          <span className="brand-mark" />
          <span>Chat</span>
        </div>
        <h1>{title}</h1>
        {notice && (
          <p className="auth-notice" role="status">
            {notice}
          </p>
        )}
        {ssoError && (
          <p className="auth-error auth-sso-error" role="alert">
            Single sign-on did not sign you in: {ssoError}
          </p>
        )}
        <form className="auth-form" onSubmit={(e) => void submit(e)}>
          <label>
            <span>Username</span>
            <input
              ref={usernameInput}
              name="username"
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              required
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              autoFocus={!known}
            />
          </label>
          <label>
            <span>Password</span>
            <input
              name="password"
              type="password"
              autoComplete={signUp ? 'new-password' : 'current-password'}
              required
              minLength={signUp ? 8 : undefined}
              aria-describedby={signUp ? hintId : undefined}
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              autoFocus={Boolean(known)}
            />
          </label>
          {signUp && (
            <p id={hintId} className="auth-hint">
              At least 8 characters.
            </p>
          )}
          {error && (
            <p className="auth-error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" className="button button-primary auth-submit" disabled={busy}>
            {signUp ? 'Create account' : 'Sign in'}
          </button>
        </form>
        {sso && (
          <>
            <p className="auth-divider">
              <span>or</span>
            </p>
            <a className="button auth-sso" href={sso.login_url}>
              Sign in with {sso.name}
            </a>
          </>
        )}
        <p className="auth-switch">
          {signUp ? 'Already have an account?' : 'No account yet?'}{' '}
          <button type="button" className="link-button" onClick={switchMode}>
            {signUp ? 'Sign in instead' : 'Create an account'}
          </button>
        </p>
      </div>
    </main>
  );
}
