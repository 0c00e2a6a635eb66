import { useLayoutEffect, useRef, useState } from 'react';
import { ArrowDownIcon } from '../../components/icons';
import type { ChatMessage } from './hooks';
import { MessageBubble } from './MessageBubble';

const NEAR_BOTTOM_PX = 96;

/** The conversation, kept scrolled to the newest text unless the reader scrolled up. */
export function MessageList({ messages, streaming }: { messages: ChatMessage[]; streaming: boolean }) {
  const scroller = useRef<HTMLDivElement>(null);
  const lastCount = useRef(0);
  const [atBottom, setAtBottom] = useState(true);
  const stick = useRef(true);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    // A new message (sent or loaded) always brings the view down; streamed text only if the reader is there.
    if (messages.length > lastCount.current) stick.current = true;
    lastCount.current = messages.length;
    if (stick.current) el.scrollTop = el.scrollHeight;
  }, [messages]);

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
          {messages.map((message) => (
            <MessageBubble key={message.id} message={message} />
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
