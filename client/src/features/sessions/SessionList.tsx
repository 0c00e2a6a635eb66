import { useCallback, useEffect, useRef } from 'react';
import type { SessionChange, SessionSummary } from '../../api/types';
import type { BulkSelection } from './BulkActions';
import { groupByDay } from './groups';
import type { SessionListState } from './hooks';
import { SessionItem } from './SessionItem';

interface SessionListProps {
  list: SessionListState;
  currentId: string;
  onSelect: (id: string) => void;
  onDelete: (session: SessionSummary) => void;
  onOrganise: (sessionId: string, change: SessionChange) => Promise<void>;
  /** In select mode: the chats show checkboxes instead of their actions. */
  selection?: Pick<BulkSelection, 'selected' | 'allMatching' | 'toggle'>;
}

/** The chats, pinned ones in their own group on top, the others by day of last activity (today, yesterday, the previous 7 days, older), loading the next page when its end scrolls into view (or "Load more" is pressed). */
export function SessionList({ list, currentId, onSelect, onDelete, onOrganise, selection }: SessionListProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const more = useRef<HTMLButtonElement>(null);
  const { loadMore, track } = list;
  // A failed read only means the change goes without If-Match.
  const onMenu = useCallback((id: string) => void track(id).catch(() => undefined), [track]);

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

  // The server lists pinned sessions first: the groups keep its order.
  const pinned = list.items.filter((s) => s.pinned);
  const others = list.items.filter((s) => !s.pinned);
  const group = (items: SessionSummary[]) => (
    <ul className="session-list">
      {items.map((session) => (
        <SessionItem
          key={session.session_id}
          session={session}
          current={session.session_id === currentId}
          onSelect={onSelect}
          onDelete={onDelete}
          onMenu={onMenu}
          onOrganise={onOrganise}
          checked={selection ? selection.allMatching || selection.selected.has(session.session_id) : undefined}
          onCheck={selection?.toggle}
        />
      ))}
    </ul>
  );

  return (
    <div ref={scroller} className="session-scroller">
      {pinned.length > 0 && (
        <section aria-label="Pinned chats">
          <h2 className="session-group">Pinned</h2>
          {group(pinned)}
        </section>
      )}
      {others.length > 0 && (
        <section aria-label={list.filter.archived ? 'Archived chats' : 'Chats'}>
          <h2 className={list.filter.archived ? 'session-group' : 'visually-hidden'}>{list.filter.archived ? 'Archived' : 'Chats'}</h2>
          {groupByDay(others).map(({ group: day, sessions }) => (
            <div key={day} role="group" aria-label={day}>
              <h3 className="session-group session-day">{day}</h3>
              {group(sessions)}
            </div>
          ))}
        </section>
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

function emptyText({ query, filter }: SessionListState): string {
  if (query) return `No chats match “${query}”.`;
  if (filter.tag) return `No chats tagged “${filter.tag}”.`;
  return filter.archived ? 'No archived chats.' : 'No chats yet.';
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
  if (list.items.length === 0) return <p className="list-status">{emptyText(list)}</p>;
  return null;
}
