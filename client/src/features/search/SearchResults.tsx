import type { SearchResult } from '../../api/types';
import { relativeTime } from '../sessions/relativeTime';
import type { MessageSearchState } from './hooks';
import { Snippet } from './Snippet';

interface SearchResultsProps {
  search: MessageSearchState;
  onOpen: (result: SearchResult) => void;
}

/** Messages and chat names that match the sidebar's search, best first, each opening its chat at the message. */
export function SearchResults({ search, onOpen }: SearchResultsProps) {
  const { results, total, loading, error } = search;
  return (
    <section className="search-results" aria-label="Messages found" aria-busy={loading}>
      <h2 className="sidebar-heading">
        Messages{!loading && !error && <span className="count"> · {total === results.length ? total : `${results.length} of ${total}`}</span>}
      </h2>
      {error && <p className="list-status" role="alert">{error}</p>}
      {!error && !loading && results.length === 0 && <p className="list-status">No message matches.</p>}
      <ul>
        {results.map((r) => (
          <li key={`${r.session_id}:${r.message_id ?? 'name'}`}>
            <button type="button" className="search-result" onClick={() => onOpen(r)}>
              <span className="search-result-head">
                <span className="search-result-chat">{r.chat_name}</span>
                <time dateTime={r.timestamp}>{relativeTime(r.timestamp)}</time>
              </span>
              <span className="search-result-text">
                {r.sender && <span className="search-result-sender">{r.sender === 'Human' ? 'You: ' : 'AI: '}</span>}
                {r.message_id === null && <span className="search-result-sender">Chat name: </span>}
                <Snippet text={r.snippet} />
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
