import { lazy, memo, Suspense } from 'react';
import { CopyButton } from './CopyButton';
import type { ChatMessage } from './hooks';

// The Markdown and highlighting code is the largest part of the app: it loads beside the first screen, not before it.
const loadMarkdown = () => import('./Markdown');
const Markdown = lazy(loadMarkdown);
export const preloadMarkdown = () => void loadMarkdown();

/** `userLabel`: who the user's messages are read out as being from (a shared chat is someone else's). */
export const MessageBubble = memo(function MessageBubble({ message, userLabel = 'You said:' }: { message: ChatMessage; userLabel?: string }) {
  if (message.role === 'user') {
    return (
      <div id={`message-${message.id}`} className="message message-user">
        <span className="visually-hidden">{userLabel}</span>
        <div className="bubble">{message.content}</div>
      </div>
    );
  }
  if (message.status === 'failed' && !message.content) return null;
  const waiting = message.status === 'streaming' && !message.content;
  return (
    <div id={`message-${message.id}`} className="message message-assistant">
      <span className="visually-hidden">Assistant said:</span>
      {waiting ? (
        <div className="typing" aria-label="Assistant is typing">
          <span />
          <span />
          <span />
        </div>
      ) : (
        <div className={message.status === 'streaming' ? 'markdown is-streaming' : 'markdown'}>
          <Suspense fallback={<p className="plain-text">{message.content}</p>}>
            <Markdown text={message.content} streaming={message.status === 'streaming'} />
          </Suspense>
        </div>
      )}
      {message.status === 'stopped' && <p className="message-note">Stopped</p>}
      {message.status === 'done' && (
        <div className="message-actions">
          <CopyButton label="Copy reply" getText={() => message.content} />
        </div>
      )}
    </div>
  );
});
