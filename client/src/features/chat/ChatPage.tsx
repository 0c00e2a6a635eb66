import { useCallback, useEffect, useRef, useState } from 'react';
import { useCurrentSession, useSessionList, type ListFilter } from '../sessions/hooks';
import { Sidebar } from '../sessions/Sidebar';
import type { SearchResult } from '../../api/types';
import { ChatView } from './ChatView';
import type { MessageFocus } from './MessageList';
import { moveDraft } from './draft';
import { preloadMarkdown } from './MessageBubble';

/** The chat screen: the sessions sidebar on the left, the conversation of the current session beside it. */
export function ChatPage() {
  const session = useCurrentSession();
  const [query, setQuery] = useState('');
  const [filter, setFilter] = useState<ListFilter>({ archived: false, tag: null });
  const list = useSessionList(query, filter);
  const [sidebarOpen, setSidebarOpen] = useState(false);
  // The message a search result opened, for its own chat only: another chat must not page back looking for it.
  const [focus, setFocus] = useState<(MessageFocus & { sessionId: string }) | null>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  const { refresh } = list;
  const { startNew, select } = session;
  const current = list.items.find((s) => s.session_id === session.sessionId);

  const closeSidebar = useCallback(() => {
    setSidebarOpen(false);
    toggle.current?.focus();
  }, []);
  const onTurnEnd = useCallback(() => void refresh(), [refresh]);

  useEffect(preloadMarkdown, []);

  useEffect(() => {
    if (!sidebarOpen) return;
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && closeSidebar();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [sidebarOpen, closeSidebar]);

  const onSelect = useCallback(
    (id: string) => {
      select(id);
      setSidebarOpen(false);
    },
    [select],
  );

  const onOpenResult = useCallback(
    (result: SearchResult) => {
      select(result.session_id);
      setFocus(result.message_id === null ? null : { sessionId: result.session_id, messageId: result.message_id, nonce: Date.now() });
      setSidebarOpen(false);
    },
    [select],
  );

  const onNew = useCallback(() => {
    startNew();
    setSidebarOpen(false);
  }, [startNew]);

  // A draft kept over a sign-in follows a chat that turned out to be unknown to the server into its replacement.
  const onMissing = useCallback(() => moveDraft(session.sessionId, startNew()), [session.sessionId, startNew]);

  const onDeleted = useCallback(
    (id: string) => {
      if (id === session.sessionId) startNew();
    },
    [session.sessionId, startNew],
  );

  return (
    <div className="app-shell">
      <Sidebar
        open={sidebarOpen}
        list={list}
        query={query}
        onQueryChange={setQuery}
        onFilterChange={setFilter}
        currentId={session.sessionId}
        onSelect={onSelect}
        onOpenResult={onOpenResult}
        onNew={onNew}
        onDeleted={onDeleted}
        onClose={closeSidebar}
      />
      {sidebarOpen && <div className="sidebar-backdrop" onClick={closeSidebar} aria-hidden="true" />}
      <ChatView
        key={session.sessionId}
        sessionId={session.sessionId}
        isNew={session.isNew}
        title={current?.chat_name || undefined}
        sidebarOpen={sidebarOpen}
        toggleRef={toggle}
        onToggleSidebar={() => setSidebarOpen((open) => !open)}
        onMissing={onMissing}
        onTurnEnd={onTurnEnd}
        focus={focus?.sessionId === session.sessionId ? focus : null}
      />
    </div>
  );
}
