import { useCallback, useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import type { SearchResult, SessionChange, SessionSummary } from '../../api/types';
import { errorMessage } from '../../api/client';
import { ChartIcon, CloseIcon, PlusIcon, SearchIcon } from '../../components/icons';
import { useAuth } from '../auth/context';
import { UserMenu } from '../auth/UserMenu';
import { TransferLinks } from '../transfer/TransferLinks';
import { searchable, useMessageSearch } from '../search/hooks';
import { SearchResults } from '../search/SearchResults';
import { BulkBar, useBulkSelection, type BulkSelection } from './BulkActions';
import { isGone } from './bulk';
import { DeleteSessionDialog } from './DeleteSessionDialog';
import { useMinuteTick, type ListFilter, type SessionListState } from './hooks';
import { CONFLICT_MESSAGE, isConflict } from './organise';
import { SessionList } from './SessionList';

interface SidebarProps {
  open: boolean;
  list: SessionListState;
  query: string;
  onQueryChange: (q: string) => void;
  onFilterChange: (filter: ListFilter) => void;
  currentId: string;
  onSelect: (id: string) => void;
  /** Opens the chat of a search result at its message. */
  onOpenResult: (result: SearchResult) => void;
  onNew: () => void;
  onDeleted: (id: string) => void;
  onClose: () => void;
}

export function Sidebar({ open, list, query, onQueryChange, onFilterChange, currentId, onSelect, onOpenResult, onNew, onDeleted, onClose }: SidebarProps) {
  const [pending, setPending] = useState<SessionSummary | null>(null);
  const [notice, setNotice] = useState<{ text: string; conflict: boolean } | null>(null);
  const closeButton = useRef<HTMLButtonElement>(null);
  const { isAdmin } = useAuth();
  const search = useMessageSearch(query);
  const selection = useBulkSelection();
  useMinuteTick();

  // On a phone the sidebar slides over the chat: move focus into it when it opens.
  useEffect(() => {
    if (open) closeButton.current?.focus();
  }, [open]);

  const onDelete = async (sessionId: string) => {
    await list.remove(sessionId);
    onDeleted(sessionId);
  };

  const { organise } = list;
  const onOrganise = useCallback(
    async (sessionId: string, change: SessionChange) => {
      setNotice(null);
      try {
        await organise(sessionId, change);
      } catch (error) {
        setNotice(isConflict(error) ? { text: `${CONFLICT_MESSAGE} (${errorMessage(error)})`, conflict: true } : { text: errorMessage(error), conflict: false });
      }
    },
    [organise],
  );

  const reload = async () => {
    setNotice(null);
    await list.reload();
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
            placeholder="Search chats and messages"
            value={query}
            onChange={(e) => onQueryChange(e.target.value)}
          />
        </label>
      </div>

      <ListFilters list={list} onFilterChange={onFilterChange} selection={selection} />
      <BulkBar
        selection={selection}
        list={list}
        onDeleted={(ids) => ids.forEach(onDeleted)}
        onDeletedMatching={() => void isGone(currentId).then((gone) => gone && onDeleted(currentId))}
      />

      {notice && (
        <div className="sidebar-notice" role="alert">
          <p>{notice.text}</p>
          <button type="button" className="button" onClick={() => void (notice.conflict ? reload() : setNotice(null))}>
            {notice.conflict ? 'Reload' : 'Dismiss'}
          </button>
        </div>
      )}

      {searchable(query) && <SearchResults search={search} onOpen={onOpenResult} />}
      <SessionList
        list={list}
        currentId={currentId}
        onSelect={onSelect}
        onDelete={setPending}
        onOrganise={onOrganise}
        selection={selection.selecting ? selection : undefined}
      />

      <div className="sidebar-footer">
        <TransferLinks onImported={() => void list.refresh()} onOpen={onSelect} />
        {isAdmin && (
          <Link className="nav-link" to="/admin">
            <ChartIcon width={16} height={16} />
            <span>Dashboard</span>
          </Link>
        )}
        <UserMenu />
      </div>

      {pending && <DeleteSessionDialog session={pending} onDelete={onDelete} onClose={() => setPending(null)} />}
    </aside>
  );
}

/** The select-mode toggle, the archive toggle and the tag chips (the tags of the chats loaded, and the one filtered on). */
function ListFilters({ list, onFilterChange, selection }: { list: SessionListState; onFilterChange: (filter: ListFilter) => void; selection: BulkSelection }) {
  const { filter } = list;
  const tags = [...new Set([...(filter.tag ? [filter.tag] : []), ...list.items.flatMap((s) => s.tags)])].sort();
  return (
    <div className="list-filters">
      <button type="button" className="chip filter-chip" aria-pressed={selection.selecting} onClick={selection.selecting ? selection.stop : selection.start}>
        Select
      </button>
      <button
        type="button"
        className="chip filter-chip"
        aria-pressed={filter.archived}
        onClick={() => onFilterChange({ ...filter, archived: !filter.archived })}
      >
        Archived
      </button>
      {tags.length > 0 && (
        <div role="group" aria-label="Filter by tag" className="tag-filters">
          {tags.map((tag) => (
            <button
              key={tag}
              type="button"
              className="chip filter-chip"
              aria-pressed={filter.tag === tag}
              onClick={() => onFilterChange({ ...filter, tag: filter.tag === tag ? null : tag })}
            >
              #{tag}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
