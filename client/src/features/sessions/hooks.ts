import { useCallback, useEffect, useRef, useState } from 'react';
import { v4 as uuidv4 } from 'uuid';
import { ApiError, api, call, errorMessage } from '../../api/client';
import type { SessionChange, SessionSummary } from '../../api/types';
import { changeSession, readSession } from './organise';

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

/** Makes `sessionId` the chat the chat page opens next (a chat made elsewhere, e.g. a continued shared one). */
export function openOnNextLoad(sessionId: string): void {
  localStorage.setItem(STORAGE_KEY, sessionId);
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

/** What the list shows besides the search: the archive instead of the chats, and one tag. */
export interface ListFilter {
  archived: boolean;
  tag: string | null;
}

const NO_FILTER: ListFilter = { archived: false, tag: null };

async function fetchPage(q: string, { archived, tag }: ListFilter, offset: number, limit: number) {
  const filters = { ...(q ? { q } : {}), ...(archived ? { archived: 'true' as const } : {}), ...(tag ? { tag } : {}) };
  const { data, response } = await call(api.GET('/api/session_names', { params: { query: { limit, offset, ...filters } } }));
  const total = Number(response.headers.get('X-Total-Count') ?? Number.NaN);
  return { items: data, total: Number.isFinite(total) ? total : offset + data.length };
}

/**
 * The sidebar's list: a search (debounced) and filters, pages loaded on demand, a refresh that keeps
 * what is loaded, and changes to one session checked against the version its menu showed.
 */
export function useSessionList(query: string, filter: ListFilter = NO_FILTER) {
  const q = useDebouncedValue(query.trim(), SEARCH_DELAY_MS);
  const { archived, tag } = filter;
  const etags = useRef(new Map<string, string | null>());
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
        const page = await fetchPage(q, { archived, tag }, offset, limit);
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
    [q, archived, tag],
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

  const put = useCallback((session: SessionSummary) => {
    setState((s) => ({ ...s, items: s.items.map((item) => (item.session_id === session.session_id ? session : item)) }));
  }, []);

  /** Reads the session's version when a person opens its menu: their change is then checked against what they saw. */
  const track = useCallback(
    async (sessionId: string) => {
      const { session, etag } = await readSession(sessionId);
      etags.current.set(sessionId, etag);
      put(session);
    },
    [put],
  );

  /** Renames, pins, archives or tags; a 412 (changed elsewhere) reaches the caller as an ApiError. */
  const organise = useCallback(
    async (sessionId: string, change: SessionChange) => {
      const { session, etag } = await changeSession(sessionId, change, etags.current.get(sessionId) ?? null);
      etags.current.set(sessionId, etag);
      put(session);
      // Pinning moves it, archiving hides it, a tag may take it out of the filter: the server's order decides.
      await refresh();
    },
    [put, refresh],
  );

  /** After a conflict: forget the versions seen and show what the server holds now. */
  const reload = useCallback(async () => {
    etags.current.clear();
    await refresh();
  }, [refresh]);

  return { ...state, query: q, filter, hasMore, loadMore, refresh, remove, track, organise, reload };
}

function dedupe(items: SessionSummary[]): SessionSummary[] {
  const seen = new Set<string>();
  return items.filter((item) => !seen.has(item.session_id) && seen.add(item.session_id));
}

export type SessionListState = ReturnType<typeof useSessionList>;
