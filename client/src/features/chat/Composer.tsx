import { useEffect, useLayoutEffect, useRef, useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import { onSignedOutByServer } from '../../api/auth';
import { SendIcon, StopIcon } from '../../components/icons';
import { clearDraft, readDraft, saveDraft } from './draft';

interface ComposerProps {
  sessionId: string;
  streaming: boolean;
  onSend: (text: string) => void;
  onStop: () => void;
  /** Shown beside the keyboard hint (the context meter). */
  children?: ReactNode;
}

const MAX_HEIGHT_PX = 200;
// Focus the input on load where there is a keyboard; on a touch screen that would pop up the on-screen one.
const focusOnLoad = typeof matchMedia === 'function' && matchMedia('(pointer: fine)').matches;

/** The input: Enter sends, Shift+Enter adds a line; while a reply streams, Stop replaces Send. */
export function Composer({ sessionId, streaming, onSend, onStop, children }: ComposerProps) {
  const [text, setText] = useState(() => readDraft(sessionId) ?? '');
  const input = useRef<HTMLTextAreaElement>(null);
  const latest = useRef(text);
  const canSend = text.trim().length > 0 && !streaming;

  // The sign-in page replaces the chat on a 401: keep what was typed for after it. A restored draft
  // stays kept until it is edited or sent (the chat may be mounted again before it is seen).
  useEffect(() => {
    latest.current = text;
  });
  useEffect(() => onSignedOutByServer(() => saveDraft(sessionId, latest.current)), [sessionId]);
  const edit = (value: string) => {
    clearDraft();
    setText(value);
  };

  useLayoutEffect(() => {
    const el = input.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight, MAX_HEIGHT_PX)}px`;
  }, [text]);

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (!canSend) return;
    onSend(text);
    edit('');
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  };

  return (
    <form className="composer" onSubmit={submit}>
      <div className="composer-box">
        <textarea
          ref={input}
          className="composer-input"
          aria-label="Message"
          placeholder="Message the assistant"
          rows={1}
          value={text}
          onChange={(e) => edit(e.target.value)}
          onKeyDown={onKeyDown}
          autoFocus={focusOnLoad}
        />
        {streaming ? (
          <button type="button" className="composer-button" onClick={onStop} aria-label="Stop" title="Stop">
            <StopIcon />
          </button>
        ) : (
          <button type="submit" className="composer-button" disabled={!canSend} aria-label="Send" title="Send">
            <SendIcon />
          </button>
        )}
      </div>
      <div className="composer-meta">
        {children}
        <p className="composer-hint">
          <kbd>Enter</kbd> to send, <kbd>Shift</kbd>+<kbd>Enter</kbd> for a new line
        </p>
      </div>
    </form>
  );
}
