import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { Link, Navigate, useLocation, useNavigate, useParams } from 'react-router';
import { ApiError, api, call, errorMessage } from '../../api/client';
import { openOnNextLoad } from '../sessions/hooks';
import { continuePath, forgetContinue, pendingContinue } from './continueIntent';
import { LinkGone } from './SharedPage';

type State = { status: 'asking' } | { status: 'copying' } | { status: 'gone' } | { status: 'failed'; detail: string };

/**
 * Behind the sign-in: copies a shared conversation into a new chat of the viewer's own and opens it.
 * It goes ahead by itself when "Continue this chat" was pressed in this tab; a link to this page
 * from elsewhere asks first.
 */
export function ContinueShared() {
  const { shareId = '' } = useParams();
  const navigate = useNavigate();
  const [state, setState] = useState<State>(() => (pendingContinue() === shareId ? { status: 'copying' } : { status: 'asking' }));
  const started = useRef(false);

  const copy = useCallback(async () => {
    forgetContinue();
    setState({ status: 'copying' });
    try {
      const { data } = await call(api.POST('/api/shared/{share_id}/continue', { params: { path: { share_id: shareId } } }));
      openOnNextLoad(data.session_id);
      void navigate('/', { replace: true });
    } catch (e) {
      const gone = e instanceof ApiError && (e.status === 404 || e.status === 400);
      setState(gone ? { status: 'gone' } : { status: 'failed', detail: errorMessage(e) });
    }
  }, [shareId, navigate]);

  useEffect(() => {
    // Once, also under StrictMode's second run of effects: each call makes a new chat.
    if (state.status !== 'copying' || started.current) return;
    started.current = true;
    void copy();
  }, [state.status, copy]);

  return (
    <main className="shared-message-page">
      <title>Continue a shared chat · Chat</title>
      {state.status === 'copying' && (
        <p className="page-loading" role="status">
          Copying the shared chat into a new chat of yours…
        </p>
      )}
      {state.status === 'asking' && (
        <div className="shared-notice">
          <h1>Continue a shared chat?</h1>
          <p>A copy of the shared conversation becomes a new chat of yours, to go on with.</p>
          <div className="shared-actions">
            <Link className="button" to={`/shared/${encodeURIComponent(shareId)}`}>
              See the shared chat
            </Link>
            <button type="button" className="button button-primary" onClick={() => void copy()}>
              Continue this chat
            </button>
          </div>
        </div>
      )}
      {state.status === 'gone' && <LinkGone home="Go to your chats" />}
      {state.status === 'failed' && (
        <div className="error-notice" role="alert">
          <p className="error-detail">{state.detail}</p>
          <button type="button" className="button" onClick={() => void copy()}>
            Retry
          </button>
        </div>
      )}
    </main>
  );
}

/** Back to the continuation asked for before a single sign-on, which comes back to the app's first page. */
export function ResumeContinue({ children }: { children: ReactNode }) {
  const { pathname } = useLocation();
  const pending = pendingContinue();
  if (pending === undefined || pathname === continuePath(pending)) return children;
  return <Navigate to={continuePath(pending)} replace />;
}
