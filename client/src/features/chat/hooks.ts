import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, api, call, errorMessage } from '../../api/client';
import { streamGenerate } from '../../api/stream';
import type { StoredMessage } from '../../api/types';

export type Role = 'user' | 'assistant';
export type MessageStatus = 'done' | 'streaming' | 'stopped' | 'failed';

export interface ChatMessage {
  id: string;
  role: Role;
  content: string;
  status: MessageStatus;
}

export interface ChatError {
  detail: string;
  retry: () => void;
}

interface ChatOptions {
  sessionId: string;
  /** A session started here has no history to load. */
  isNew: boolean;
  /** The server does not know the session (404 on its history). */
  onMissing: () => void;
  /** A turn ended (done, failed or stopped): the session list may have changed. */
  onTurnEnd: () => void;
}

const FLUSH_MS = 40;

/** Collects streamed text and hands it on at most every FLUSH_MS, so a fast stream re-renders the Markdown at a steady pace. */
function textBatcher(append: (text: string) => void) {
  let pending = '';
  let timer: ReturnType<typeof setTimeout> | undefined;
  const cancel = () => {
    clearTimeout(timer);
    timer = undefined;
    pending = '';
  };
  const flush = () => {
    const text = pending;
    cancel();
    if (text) append(text);
  };
  return {
    push(text: string) {
      pending += text;
      timer ??= setTimeout(flush, FLUSH_MS);
    },
    flush,
    cancel,
  };
}

let nextLocalId = 0;
const localId = () => `local-${++nextLocalId}`;

function fromStored(message: StoredMessage): ChatMessage {
  return {
    id: `db-${message.id}`,
    role: message.sender === 'Human' ? 'user' : 'assistant',
    content: message.content,
    status: 'done',
  };
}

function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

/** Loads the history of a session once (and again on `reload`). */
function useHistory({ sessionId, isNew, onMissing }: Pick<ChatOptions, 'sessionId' | 'isNew' | 'onMissing'>) {
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [attempt, setAttempt] = useState(0);
  const [settled, setSettled] = useState({ attempt: -1, error: null as string | null });
  const missing = useRef(onMissing);
  useEffect(() => {
    missing.current = onMissing;
  });

  useEffect(() => {
    if (isNew) return;
    const controller = new AbortController();
    call(api.POST('/api/get_history', { body: { session_id: sessionId }, signal: controller.signal }))
      .then(({ data }) => {
        setMessages(data.messages.map(fromStored));
        setSettled({ attempt, error: null });
      })
      .catch((e: unknown) => {
        if (isAbort(e) || controller.signal.aborted) return;
        const unknownSession = e instanceof ApiError && e.status === 404;
        setSettled({ attempt, error: unknownSession ? null : errorMessage(e) });
        if (unknownSession) missing.current();
      });
    return () => controller.abort();
  }, [sessionId, isNew, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  const current = settled.attempt === attempt;
  return { messages, setMessages, loading: !isNew && !current, error: current ? settled.error : null, reload };
}

/** The conversation of one session: its history, a streamed turn, stop, retry and clear. Mount one per session (keyed by its id). */
export function useChat(options: ChatOptions) {
  const { sessionId, onTurnEnd } = options;
  const history = useHistory(options);
  const { setMessages } = history;
  const [turnError, setTurnError] = useState<ChatError | null>(null);
  const [streaming, setStreaming] = useState(false);
  const controller = useRef<AbortController | null>(null);

  useEffect(() => () => controller.current?.abort(), []);

  const patch = useCallback(
    (id: string, change: (m: ChatMessage) => Partial<ChatMessage>) =>
      setMessages((all) => all.map((m) => (m.id === id ? { ...m, ...change(m) } : m))),
    [setMessages],
  );

  const send = useCallback(
    async (prompt: string): Promise<void> => {
      const text = prompt.trim();
      if (!text || controller.current) return;
      const userId = localId();
      const replyId = localId();
      const retry = () => {
        setMessages((all) => all.filter((m) => m.id !== userId && m.id !== replyId));
        void send(text);
      };
      const abort = new AbortController();
      controller.current = abort;
      setTurnError(null);
      setStreaming(true);
      setMessages((all) => [
        ...all,
        { id: userId, role: 'user', content: text, status: 'done' },
        { id: replyId, role: 'assistant', content: '', status: 'streaming' },
      ]);
      const tokens = textBatcher((piece) => patch(replyId, (m) => ({ content: m.content + piece })));
      try {
        for await (const event of streamGenerate({ prompt: text, session_id: sessionId }, abort.signal)) {
          switch (event.event) {
            case 'token':
              tokens.push(event.data.text);
              break;
            case 'done':
              tokens.cancel();
              patch(replyId, () => ({ content: event.data.response, status: 'done' }));
              break;
            case 'error':
              tokens.flush();
              patch(replyId, () => ({ status: 'failed' }));
              setTurnError({ detail: event.data.detail, retry });
              break;
          }
        }
      } catch (error) {
        if (abort.signal.aborted) patch(replyId, () => ({ status: 'stopped' }));
        else {
          patch(replyId, () => ({ status: 'failed' }));
          setTurnError({ detail: errorMessage(error), retry });
        }
      } finally {
        tokens.flush();
        patch(replyId, (m) => (m.status === 'streaming' ? { status: 'stopped' } : {}));
        controller.current = null;
        setStreaming(false);
        onTurnEnd();
      }
    },
    [sessionId, patch, setMessages, onTurnEnd],
  );

  const stop = useCallback(() => controller.current?.abort(), []);

  const clear = useCallback(async () => {
    controller.current?.abort();
    await call(api.POST('/api/clear_history', { body: { session_id: sessionId } }));
    setMessages([]);
    setTurnError(null);
    onTurnEnd();
  }, [sessionId, setMessages, onTurnEnd]);

  const error: ChatError | null =
    turnError ?? (history.error ? { detail: history.error, retry: history.reload } : null);

  return { messages: history.messages, loading: history.loading, streaming, error, send, stop, clear };
}
