import { useEffect, useState } from 'react';
import { api, call, errorMessage } from '../../api/client';
import type { SearchResult } from '../../api/types';

const SEARCH_DELAY_MS = 300;
const RESULTS = 20;

export interface MessageSearchState {
  results: SearchResult[];
  total: number;
  loading: boolean;
  error: string | null;
}

const IDLE: MessageSearchState = { results: [], total: 0, loading: false, error: null };

/** Whether `q` holds a word the server can search for (it answers 400 otherwise). */
export const searchable = (q: string) => /[\p{L}\p{N}]/u.test(q);

/** The messages and chat names matching `query`, searched once typing pauses; a newer query wins. */
export function useMessageSearch(query: string): MessageSearchState {
  const q = query.trim();
  // The last answer, and the query it answers: while it is not `q`, a search is on its way.
  const [answer, setAnswer] = useState<MessageSearchState & { q: string }>({ ...IDLE, q: '' });

  useEffect(() => {
    if (!searchable(q)) return;
    const abort = new AbortController();
    const timer = setTimeout(async () => {
      try {
        const { data, response } = await call(api.GET('/api/search', { params: { query: { q, limit: RESULTS } }, signal: abort.signal }));
        setAnswer({ q, results: data, total: Number(response.headers.get('X-Total-Count') ?? data.length), loading: false, error: null });
      } catch (error) {
        if (!abort.signal.aborted) setAnswer({ ...IDLE, q, error: errorMessage(error) });
      }
    }, SEARCH_DELAY_MS);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [q]);

  if (!searchable(q)) return IDLE;
  const { q: answered, ...state } = answer;
  return answered === q ? state : { ...state, loading: true, error: null };
}
