import { useEffect, useRef } from 'react';
import type { SessionSummary } from '../../api/types';
import type { SessionListState } from './hooks';
import { SessionItem } from './SessionItem';

interface SessionListProps {
  list: SessionListState;
  currentId: string;
  onSelect: (id: string) => void;
  onDelete: (session: SessionSummary) => void;
}

/** The chats, loading the next page when its end scrolls into view (or "Load more" is pressed). */
export function SessionList({ list, currentId, onSelect, onDelete }: SessionListProps) {
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

function ListStatus({ list }: { list: SessionListState }) {
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
