import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { ArrowDownIcon } from '../../components/icons';
import type { ChatMessage } from './hooks';
import { MessageBubble } from './MessageBubble';

const NEAR_BOTTOM_PX = 96;
const FOUND_HIGHLIGHT_MS = 2500;

/** A stored message to bring into view (from a search result); `nonce` makes a second click count. */
export interface MessageFocus {
  messageId: number;
  nonce: number;
}

interface MessageListProps {
  messages: ChatMessage[];
  streaming: boolean;
  earlier: { hasMore: boolean; loading: boolean; load: () => Promise<void> };
  focus?: MessageFocus | null;
  /** How a screen reader introduces the user's messages (see MessageBubble). */
  userLabel?: string;
}

/** The conversation, kept scrolled to the newest text unless the reader scrolled up; older pages load on demand. */
export function MessageList({ messages, streaming, earlier, focus, userLabel }: MessageListProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const previous = useRef({ count: 0, lastId: '', height: 0 });
  const stick = useRef(true);
  const [atBottom, setAtBottom] = useState(true);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const lastId = messages[messages.length - 1]?.id ?? '';
    const grew = messages.length > previous.current.count;
    if (grew && lastId === previous.current.lastId) {
      // Older messages went in above: keep the ones being read where they were.
      el.scrollTop += el.scrollHeight - previous.current.height;
    } else {
      // A new message (sent or loaded) brings the view down; streamed text only if the reader is there.
      if (grew) stick.current = true;
      if (stick.current) el.scrollTop = el.scrollHeight;
    }
    previous.current = { count: messages.length, lastId, height: el.scrollHeight };
  }, [messages]);

  // Brings the focused message into view, loading older pages until it is there, and marks it briefly.
  const shown = useRef<number | null>(null);
  useEffect(() => {
    if (!focus || shown.current === focus.nonce) return;
    const el = document.getElementById(`message-db-${focus.messageId}`);
    if (!el) {
      if (earlier.hasMore && !earlier.loading) void earlier.load();
      return;
    }
    shown.current = focus.nonce;
    stick.current = false;
    el.scrollIntoView?.({ block: 'center' });
    el.classList.add('message-found');
    setTimeout(() => el.classList.remove('message-found'), FOUND_HIGHLIGHT_MS);
  }, [focus, messages, earlier]);

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM_PX;
    setAtBottom(stick.current);
  };

  const scrollDown = () => {
    const el = scroller.current;
    el?.scrollTo({ top: el.scrollHeight, behavior: 'smooth' });
  };

  return (
    <div className="message-area">
      {/* Focusable, so the conversation scrolls from the keyboard too. */}
      <div ref={scroller} className="message-scroller" tabIndex={0} onScroll={onScroll}>
        <div className="message-list" role="log" aria-label="Conversation" aria-busy={streaming}>
          {earlier.hasMore && (
            <button type="button" className="chip load-earlier" onClick={() => void earlier.load()} disabled={earlier.loading}>
              {earlier.loading ? 'Loading…' : 'Load earlier messages'}
            </button>
          )}
          {messages.map((message) => (
            <MessageBubble key={message.id} message={message} userLabel={userLabel} />
          ))}
        </div>
      </div>
      {!atBottom && (
        <button type="button" className="scroll-down" aria-label="Scroll to the latest message" onClick={scrollDown}>
          <ArrowDownIcon />
        </button>
      )}
    </div>
  );
}
