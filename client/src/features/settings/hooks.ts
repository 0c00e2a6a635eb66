import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, api, call, errorMessage } from '../../api/client';
import type { SessionContext, SessionSettings, SettingsChange } from '../../api/types';
import { countSummarizedTurns, type TurnCount } from './summarizedTurns';

const isAbort = (e: unknown) => e instanceof DOMException && e.name === 'AbortError';

/** The session's settings, loaded once, and `save` to PATCH a change (it throws the ApiError for the form to show). */
export function useSessionSettings(sessionId: string) {
  const [settings, setSettings] = useState<SessionSettings | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    call(api.GET('/api/sessions/{session_id}/settings', { params: { path: { session_id: sessionId } }, signal: controller.signal }))
      .then(({ data }) => setSettings(data))
      .catch((e: unknown) => {
        if (isAbort(e) || controller.signal.aborted) return;
        setError(e instanceof ApiError && e.status === 404 ? 'This chat is not saved yet: send a first message, then change its settings.' : errorMessage(e));
      });
    return () => controller.abort();
  }, [sessionId]);

  const save = useCallback(
    async (change: SettingsChange) => {
      const { data } = await call(api.PATCH('/api/sessions/{session_id}/settings', { params: { path: { session_id: sessionId } }, body: change }));
      setSettings(data);
      return data;
    },
    [sessionId],
  );

  return { settings, error, save };
}

export interface ContextState {
  context: SessionContext;
  /** How many turns the running summary covers; null when there is no summary or it could not be counted. */
  summarized: TurnCount | null;
}

/** The summary is folded after the reply is stored: one more look this long after a turn catches it. */
const SUMMARY_RECHECK_MS = 2_000;

/**
 * What the model will see of the session, fetched again whenever `version` changes (after a turn,
 * a clear or a change of settings). Nothing while the session does not exist on the server.
 */
export function useSessionContext(sessionId: string, version: number, enabled: boolean) {
  const [state, setState] = useState<ContextState | null>(null);
  const [recheck, setRecheck] = useState(0);
  const rechecked = useRef(-1);
  const counted = useRef<(TurnCount & { until: number }) | null>(null);

  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    const { signal } = controller;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      const { data } = await call(api.GET('/api/sessions/{session_id}/context', { params: { path: { session_id: sessionId } }, signal }));
      const until = data.summary_covers_until;
      if (until === null) counted.current = null;
      else counted.current = { until, ...(await countSummarizedTurns(sessionId, until, counted.current, signal)) };
      if (signal.aborted) return;
      setState({ context: data, summarized: counted.current });
      if (data.strategy === 'summary' && rechecked.current !== version) {
        rechecked.current = version;
        timer = setTimeout(() => setRecheck((n) => n + 1), SUMMARY_RECHECK_MS);
      }
    };
    // The meter is a hint: when it cannot load, it shows nothing rather than an error.
    load().catch(() => !signal.aborted && setState(null));
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [sessionId, version, recheck, enabled]);

  return enabled ? state : null;
}
