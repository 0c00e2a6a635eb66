import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError, api, call, errorMessage } from '../../api/client';
import type { SharedConversation } from '../../api/types';
import type { ChatMessage } from '../chat/hooks';
import { MessageList } from '../chat/MessageList';
import { askToContinue, continuePath } from './continueIntent';

type State = { status: 'loading' } | { status: 'gone' } | { status: 'failed'; detail: string } | { status: 'ready'; shared: SharedConversation };

const NO_EARLIER = { hasMore: false, loading: false, load: async () => undefined };

const toMessages = (shared: SharedConversation): ChatMessage[] =>
  shared.messages.map((m, i) => ({ id: `shared-${i}`, role: m.sender === 'Human' ? 'user' : 'assistant', content: m.content, status: 'done' }));

function useShared(shareId: string, attempt: number): State {
  const [state, setState] = useState<State & { key: string }>({ status: 'loading', key: '' });
  const key = `${shareId}#${attempt}`;
  useEffect(() => {
    const controller = new AbortController();
    call(api.GET('/api/shared/{share_id}', { params: { path: { share_id: shareId } }, signal: controller.signal }))
      .then(({ data }) => setState({ status: 'ready', shared: data, key }))
      .catch((e: unknown) => {
        if (controller.signal.aborted) return;
        // 404: revoked or deleted; 400: not a share id at all. Either way the link does not work.
        const gone = e instanceof ApiError && (e.status === 404 || e.status === 400);
        setState(gone ? { status: 'gone', key } : { status: 'failed', detail: errorMessage(e), key });
      });
    return () => controller.abort();
  }, [shareId, key]);
  return state.key === key ? state : { status: 'loading' };
}

/** A share that is no more (revoked, or its chat deleted), or never was. */
export function LinkGone({ home }: { home: string }) {
  return (
    <div className="shared-notice">
      <h1>This link does not work</h1>
      <p>It may have been revoked, or its chat deleted. Ask whoever shared it for a new link.</p>
      <Link className="button" to="/">
        {home}
      </Link>
    </div>
  );
}

/**
 * A shared conversation, read-only, for anyone with the link: no sign-in, nothing read from or
 * written to this browser's storage, no owner shown. "Continue this chat" copies it into a chat of
 * the viewer's own (signing in first when the server has accounts).
 */
export function SharedPage() {
  const { shareId = '' } = useParams();
  const [attempt, setAttempt] = useState(0);
  const state = useShared(shareId, attempt);
  const navigate = useNavigate();

  const onContinue = () => {
    askToContinue(shareId);
    void navigate(continuePath(shareId));
  };

  if (state.status !== 'ready') {
    return (
      <main className="shared-message-page">
        <title>Shared chat · Chat</title>
        {state.status === 'loading' && (
          <p className="page-loading" role="status">
            Loading the shared chat…
          </p>
        )}
        {state.status === 'gone' && <LinkGone home="Go to the chat app" />}
        {state.status === 'failed' && (
          <div className="error-notice" role="alert">
            <p className="error-detail">{state.detail}</p>
            <button type="button" className="button" onClick={() => setAttempt((n) => n + 1)}>
              Retry
            </button>
          </div>
        )}
      </main>
    );
  }

  const { shared } = state;
  const sharedAt = new Date(shared.shared_at);
  return (
    <div className="app-shell">
      <main className="chat shared-chat">
        <title>{`${shared.chat_name || 'Shared chat'} · Chat`}</title>
        <header className="chat-header">
          <span className="brand-mark" aria-hidden="true" />
          <div className="shared-heading">
            <h1 className="chat-title">{shared.chat_name || 'Shared chat'}</h1>
            <p className="shared-meta">
              Shared <time dateTime={shared.shared_at}>{sharedAt.toLocaleDateString([], { dateStyle: 'medium' })}</time> · read-only
            </p>
          </div>
        </header>
        <MessageList messages={toMessages(shared)} streaming={false} earlier={NO_EARLIER} userLabel="They asked:" />
        <div className="chat-footer">
          <div className="shared-footer">
            <p>This is a copy of a conversation as it was when shared. Continue it to ask your own questions.</p>
            <button type="button" className="button button-primary" onClick={onContinue}>
              Continue this chat
            </button>
          </div>
        </div>
      </main>
    </div>
  );
}
