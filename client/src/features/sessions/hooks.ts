import { useCallback, useEffect, useRef, useState } from 'react';
import { v4 as uuidv4 } from 'uuid';
import { ApiError, api, call, errorMessage } from '../../api/client';
import type { SessionSummary } from '../../api/types';

const STORAGE_KEY = 'session_id';
const PAGE_SIZE = 30;
const MAX_LIMIT = 1000; // the most one call may ask for
const SEARCH_DELAY_MS = 300;

/** The stored session, or a new one (which has no history on the server yet). */
function initialSession(): { sessionId: string; isNew: boolean } {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (stored) return { sessionId: stored, isNew: false };
  const sessionId = uuidv4();
  localStorage.setItem(STORAGE_KEY, sessionId);
  return { sessionId, isNew: true };
}

/** The session being chatted in, kept in localStorage under `session_id` so a reload restores it. */
export function useCurrentSession() {
  const [{ sessionId, isNew }, setSession] = useState(initialSession);

  const select = useCallback((id: string) => {
    localStorage.setItem(STORAGE_KEY, id);
    setSession({ sessionId: id, isNew: false });
  }, []);

  const startNew = useCallback(() => {
    const id = uuidv4();
    localStorage.setItem(STORAGE_KEY, id);
    setSession({ sessionId: id, isNew: true });
    return id;
  }, []);

  return { sessionId, isNew, select, startNew };
}

function useDebouncedValue<T>(value: T, delayMs: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return debounced;
}

/** Re-renders every minute, so "5 min ago" stays true while the page is open. */
export function useMinuteTick() {
  const [, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), 60_000);
    return () => clearInterval(timer);
  }, []);
}

interface ListState {
  items: SessionSummary[];
  total: number;
  loading: boolean;
  error: string | null;
}

async function fetchPage(q: string, offset: number, limit: number) {
  const { data, response } = await call(
    api.GET('/api/session_names', { params: { query: { limit, offset, ...(q ? { q } : {}) } } }),
  );
  const total = Number(response.headers.get('X-Total-Count') ?? Number.NaN);
  return { items: data, total: Number.isFinite(total) ? total : offset + data.length };
}

/** The sidebar's list: a search (debounced), pages loaded on demand, and a refresh that keeps what is loaded. */
export function useSessionList(query: string) {
  const q = useDebouncedValue(query.trim(), SEARCH_DELAY_MS);
  const [state, setState] = useState<ListState>({ items: [], total: 0, loading: true, error: null });
  const generation = useRef(0);
  const loaded = useRef(0);
  useEffect(() => {
    loaded.current = state.items.length;
  });

  const load = useCallback(
    async (offset: number, limit: number, replace: boolean) => {
      const mine = ++generation.current;
      setState((s) => ({ ...s, loading: true, error: null }));
      try {
        const page = await fetchPage(q, offset, limit);
        if (mine !== generation.current) return;
        setState((s) => ({
          items: replace ? page.items : dedupe([...s.items, ...page.items]),
          total: page.total,
          loading: false,
          error: null,
        }));
      } catch (error) {
        if (mine !== generation.current) return;
        setState((s) => ({ ...s, loading: false, error: errorMessage(error) }));
      }
    },
    [q],
  );

  useEffect(() => {
    void load(0, PAGE_SIZE, true);
  }, [load]);

  const hasMore = state.items.length < state.total;
  const loadMore = useCallback(() => {
    if (!state.loading && hasMore) void load(state.items.length, PAGE_SIZE, false);
  }, [load, state.loading, state.items.length, hasMore]);

  const refresh = useCallback(() => load(0, Math.min(MAX_LIMIT, Math.max(PAGE_SIZE, loaded.current)), true), [load]);

  const remove = useCallback(async (sessionId: string) => {
    try {
      await call(api.DELETE('/api/sessions/{session_id}', { params: { path: { session_id: sessionId } } }));
    } catch (error) {
      // Already gone (deleted elsewhere): what the person wanted.
      if (!(error instanceof ApiError && error.status === 404)) throw error;
    }
    setState((s) => ({
      ...s,
      items: s.items.filter((item) => item.session_id !== sessionId),
      total: Math.max(0, s.total - 1),
    }));
  }, []);

  return { ...state, query: q, hasMore, loadMore, refresh, remove };
}

function dedupe(items: SessionSummary[]): SessionSummary[] {
  const seen = new Set<string>();
  return items.filter((item) => !seen.has(item.session_id) && seen.add(item.session_id));
}

export type SessionListState = ReturnType<typeof useSessionList>;
