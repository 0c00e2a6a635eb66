import { useLayoutEffect, useRef } from 'react';
import type { ChatMessage } from './hooks';
import { MessageBubble } from './MessageBubble';

const NEAR_BOTTOM_PX = 96;

/** The conversation, kept scrolled to the newest text unless the reader scrolled up. */
export function MessageList({ messages, streaming }: { messages: ChatMessage[]; streaming: boolean }) {
  const scroller = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const lastCount = useRef(0);

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
    if (el) stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM_PX;
  };

  return (
    <div ref={scroller} className="message-scroller" onScroll={onScroll}>
      <div className="message-list" role="log" aria-label="Conversation" aria-busy={streaming}>
        {messages.map((message) => (
          <MessageBubble key={message.id} message={message} />
        ))}
      </div>
    </div>
  );
}
