import { useCallback, useEffect, useRef, useState } from 'react';
import { onSignedOutByServer } from '../../api/auth';
import { ApiError, api, call, errorMessage } from '../../api/client';
import { streamGenerate } from '../../api/stream';
import type { StoredMessage } from '../../api/types';
import { saveDraft } from './draft';

type Role = 'user' | 'assistant';
type MessageStatus = 'done' | 'streaming' | 'stopped' | 'failed';

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

const HISTORY_PAGE = 100;

interface Earlier {
  hasMore: boolean;
  /** The id of the oldest message loaded: the next page ends before it. */
  oldestId: number | undefined;
  loading: boolean;
  error: string | null;
}

/** Loads the newest page of a session's history once (and again on `reload`), older pages on `loadEarlier`. */
function useHistory({ sessionId, isNew, onMissing }: Pick<ChatOptions, 'sessionId' | 'isNew' | 'onMissing'>) {
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [attempt, setAttempt] = useState(0);
  const [settled, setSettled] = useState({ attempt: -1, error: null as string | null });
  const [earlier, setEarlier] = useState<Earlier>({ hasMore: false, oldestId: undefined, loading: false, error: null });
  const missing = useRef(onMissing);
  useEffect(() => {
    missing.current = onMissing;
  });

  const fetchPage = useCallback(
    (beforeId: number | undefined, signal?: AbortSignal) =>
      call(
        api.POST('/api/get_history', {
          body: { session_id: sessionId, limit: HISTORY_PAGE, ...(beforeId === undefined ? {} : { before_id: beforeId }) },
          signal,
        }),
      ),
    [sessionId],
  );

  useEffect(() => {
    if (isNew) return;
    const controller = new AbortController();
    fetchPage(undefined, controller.signal)
      .then(({ data }) => {
        setMessages(data.messages.map(fromStored));
        setEarlier({ hasMore: data.has_more, oldestId: data.messages[0]?.id, loading: false, error: null });
        setSettled({ attempt, error: null });
      })
      .catch((e: unknown) => {
        if (isAbort(e) || controller.signal.aborted) return;
        const unknownSession = e instanceof ApiError && e.status === 404;
        setSettled({ attempt, error: unknownSession ? null : errorMessage(e) });
        if (unknownSession) missing.current();
      });
    return () => controller.abort();
  }, [fetchPage, isNew, attempt]);

  const loadEarlier = useCallback(async () => {
    if (!earlier.hasMore || earlier.loading) return;
    setEarlier((e) => ({ ...e, loading: true, error: null }));
    try {
      const { data } = await fetchPage(earlier.oldestId);
      setMessages((all) => [...data.messages.map(fromStored), ...all]);
      setEarlier((e) => ({ hasMore: data.has_more, oldestId: data.messages[0]?.id ?? e.oldestId, loading: false, error: null }));
    } catch (e) {
      setEarlier((s) => ({ ...s, loading: false, error: errorMessage(e) }));
    }
  }, [earlier, fetchPage]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  const empty = useCallback(() => {
    setMessages([]);
    setEarlier({ hasMore: false, oldestId: undefined, loading: false, error: null });
  }, []);
  const current = settled.attempt === attempt;
  return {
    messages,
    setMessages,
    loading: !isNew && !current,
    error: current ? settled.error : null,
    reload,
    empty,
    earlier: { hasMore: earlier.hasMore, loading: earlier.loading, error: earlier.error, load: loadEarlier },
  };
}

/** The conversation of one session: its history, a streamed turn, stop, retry and clear. Mount one per session (keyed by its id). */
export function useChat(options: ChatOptions) {
  const { sessionId, onTurnEnd } = options;
  const history = useHistory(options);
  const { setMessages, empty } = history;
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
      // Signed out by the server (this call or another one answering 401): the sign-in page replaces the
      // chat at once, so the prompt is kept as the draft right then, before this call's body is even read.
      const keepPrompt = onSignedOutByServer(() => saveDraft(sessionId, text));
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
        // A 401 needs nothing more: the sign-in page has taken over, and the prompt is kept (above).
        else if (!(error instanceof ApiError && error.status === 401)) {
          patch(replyId, () => ({ status: 'failed' }));
          setTurnError({ detail: errorMessage(error), retry });
        }
      } finally {
        keepPrompt();
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
    empty();
    setTurnError(null);
    onTurnEnd();
  }, [sessionId, empty, onTurnEnd]);

  const { earlier } = history;
  const error: ChatError | null =
    turnError ??
    (history.error ? { detail: history.error, retry: history.reload } : null) ??
    (earlier.error ? { detail: earlier.error, retry: () => void earlier.load() } : null);

  return { messages: history.messages, loading: history.loading, earlier, streaming, error, send, stop, clear };
}
