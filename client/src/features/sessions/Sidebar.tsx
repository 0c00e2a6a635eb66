import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { errorMessage } from '../../api/client';
import type { SessionSummary } from '../../api/types';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ChartIcon, CloseIcon, PlusIcon, SearchIcon } from '../../components/icons';
import { useMinuteTick, type SessionList } from './hooks';
import { SessionItem } from './SessionItem';

interface SidebarProps {
  open: boolean;
  list: SessionList;
  query: string;
  onQueryChange: (q: string) => void;
  currentId: string;
  onSelect: (id: string) => void;
  onNew: () => void;
  onDeleted: (id: string) => void;
  onClose: () => void;
}

export function Sidebar({ open, list, query, onQueryChange, currentId, onSelect, onNew, onDeleted, onClose }: SidebarProps) {
  const [pending, setPending] = useState<SessionSummary | null>(null);
  const closeButton = useRef<HTMLButtonElement>(null);
  useMinuteTick();

  // On a phone the sidebar slides over the chat: move focus into it when it opens.
  useEffect(() => {
    if (open) closeButton.current?.focus();
  }, [open]);
  const [deleting, setDeleting] = useState(false);
  const [deleteError, setDeleteError] = useState<string | null>(null);

  const confirmDelete = async () => {
    if (!pending) return;
    setDeleting(true);
    try {
      await list.remove(pending.session_id);
      onDeleted(pending.session_id);
      setDeleteError(null);
    } catch (error) {
      setDeleteError(errorMessage(error));
    } finally {
      setDeleting(false);
      setPending(null);
    }
  };

  return (
    <aside id="sidebar" className="sidebar" data-open={open || undefined} aria-label="Chats">
      <div className="sidebar-top">
        <div className="sidebar-brand">
          <span className="brand-mark" aria-hidden="true" />
          <span>Chat</span>
          <button ref={closeButton} type="button" className="icon-button sidebar-close" aria-label="Close sidebar" onClick={onClose}>
            <CloseIcon />
          </button>
        </div>
        <button type="button" className="button new-chat" onClick={onNew}>
          <PlusIcon width={16} height={16} />
          <span>New chat</span>
        </button>
        <label className="search">
          <SearchIcon width={16} height={16} className="search-icon" />
          <input
            type="search"
            aria-label="Search chats"
            placeholder="Search chats"
            value={query}
            onChange={(e) => onQueryChange(e.target.value)}
          />
        </label>
      </div>

      <SessionListView list={list} currentId={currentId} onSelect={onSelect} onDelete={setPending} />

      {deleteError && (
        <p className="sidebar-error" role="alert">
          {deleteError}
        </p>
      )}

      <div className="sidebar-footer">
        <Link className="nav-link" to="/admin">
          <ChartIcon width={16} height={16} />
          <span>Dashboard</span>
        </Link>
      </div>

      {pending && (
        <ConfirmDialog
          title="Delete chat?"
          confirmLabel="Delete"
          danger
          busy={deleting}
          onConfirm={() => void confirmDelete()}
          onCancel={() => setPending(null)}
        >
          <p>
            “{pending.chat_name || 'Untitled chat'}” and its {pending.message_count} messages will be deleted for good.
          </p>
        </ConfirmDialog>
      )}
    </aside>
  );
}

interface SessionListViewProps {
  list: SessionList;
  currentId: string;
  onSelect: (id: string) => void;
  onDelete: (session: SessionSummary) => void;
}

function SessionListView({ list, currentId, onSelect, onDelete }: SessionListViewProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const more = useRef<HTMLButtonElement>(null);
  const { loadMore } = list;

  useEffect(() => {
    const target = more.current;
    if (!target || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && loadMore(), {
      root: scroller.current,
      rootMargin: '120px',
    });
    observer.observe(target);
    return () => observer.disconnect();
  }, [loadMore, list.hasMore]);

  return (
    <div ref={scroller} className="session-scroller">
      {list.items.length > 0 && (
        <ul className="session-list">
          {list.items.map((session) => (
            <SessionItem
              key={session.session_id}
              session={session}
              current={session.session_id === currentId}
              onSelect={onSelect}
              onDelete={onDelete}
            />
          ))}
        </ul>
      )}
      <ListStatus list={list} />
      {list.hasMore && (
        <button ref={more} type="button" className="load-more" onClick={loadMore} disabled={list.loading}>
          {list.loading ? 'Loading…' : 'Load more'}
        </button>
      )}
    </div>
  );
}

function ListStatus({ list }: { list: SessionList }) {
  if (list.error) {
    return (
      <div className="list-status" role="alert">
        <p>{list.error}</p>
        <button type="button" className="button" onClick={() => void list.refresh()}>
          Retry
        </button>
      </div>
    );
  }
  if (list.loading && list.items.length === 0) return <p className="list-status">Loading chats…</p>;
  if (list.items.length === 0) {
    return <p className="list-status">{list.query ? `No chats match “${list.query}”.` : 'No chats yet.'}</p>;
  }
  return null;
}
