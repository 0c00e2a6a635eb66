import { useMemo, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { AuthContext, type Auth } from './context';
import { useAuthState } from './hooks';
import { SignInPage } from './SignInPage';

/**
 * Asks the server whether accounts are on. Off: the app as it always was. On: the sign-in page until a
 * user is signed in, and again whenever the server answers 401 (the page underneath keeps its place).
 */
export function AuthGate({ children }: { children: ReactNode }) {
  const { state, signIn, signUp, signOut, retry } = useAuthState();
  const navigate = useNavigate();

  const auth = useMemo<Auth>(() => {
    if (state.status !== 'signed-in') return { mode: 'off', user: null, isAdmin: true, signOut: () => undefined };
    return {
      mode: 'jwt',
      user: state.user,
      isAdmin: state.user.role === 'admin',
      signOut: () => {
        signOut();
        void navigate('/');
      },
    };
  }, [state, signOut, navigate]);

  switch (state.status) {
    case 'loading':
      return (
        <p className="page-loading" role="status">
          Loading…
        </p>
      );
    case 'failed':
      return (
        <main className="auth-page">
          <div className="error-notice" role="alert">
            <p className="error-detail">{state.detail}</p>
            <button type="button" className="button" onClick={retry}>
              Retry
            </button>
          </div>
        </main>
      );
    case 'signed-out':
      return (
        <SignInPage sso={state.sso} notice={state.notice} ssoError={state.ssoError} username={state.username} onSignIn={signIn} onSignUp={signUp} />
      );
    case 'off':
    case 'signed-in':
      return <AuthContext value={auth}>{children}</AuthContext>;
  }
}
