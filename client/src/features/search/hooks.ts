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
  const [state, setState] = useState<MessageSearchState>(IDLE);

  useEffect(() => {
    if (!searchable(q)) {
      setState(IDLE);
      return;
    }
    const abort = new AbortController();
    setState((s) => ({ ...s, loading: true, error: null }));
    const timer = setTimeout(async () => {
      try {
        const { data, response } = await call(api.GET('/api/search', { params: { query: { q, limit: RESULTS } }, signal: abort.signal }));
        setState({ results: data, total: Number(response.headers.get('X-Total-Count') ?? data.length), loading: false, error: null });
      } catch (error) {
        if (!abort.signal.aborted) setState({ ...IDLE, error: errorMessage(error) });
      }
    }, SEARCH_DELAY_MS);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [q]);

  return state;
}
