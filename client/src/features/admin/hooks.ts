import { useCallback, useEffect, useState } from 'react';
import { api, call, errorMessage } from '../../api/client';
import type { ActiveSessions, SessionStats, UsageQuery, UsageSeries } from '../../api/types';

export type Health = { state: 'checking' } | { state: 'ok' } | { state: 'error'; failing: string[] } | { state: 'unreachable' };

interface Loaded<T> {
  data: T | null;
  error: string | null;
  /** The `version` these results are for: older ones mean a load is under way. */
  version: number;
}

function useLoad<T>(load: () => Promise<T>, version: number) {
  const [state, setState] = useState<Loaded<T>>({ data: null, error: null, version: -1 });
  useEffect(() => {
    let live = true;
    load().then(
      (data) => live && setState({ data, error: null, version }),
      (error: unknown) => live && setState((s) => ({ ...s, error: errorMessage(error), version })),
    );
    return () => {
      live = false;
    };
  }, [load, version]);
  return { data: state.data, error: state.error, loading: state.version !== version };
}

const loadStats = async (): Promise<SessionStats> => (await call(api.GET('/api/session_stats'))).data.stats;
const loadActive = async (): Promise<ActiveSessions> => (await call(api.GET('/api/sessions'))).data;

async function loadHealth(): Promise<Health> {
  try {
    const { data, error, response } = await api.GET('/api/health');
    const report: unknown = data ?? error;
    if (response.ok) return { state: 'ok' };
    const failing = report && typeof report === 'object' && 'error' in report ? Object.keys(report.error ?? {}) : [];
    return { state: 'error', failing };
  } catch {
    return { state: 'unreachable' };
  }
}

const AUTO_REFRESH_MS = 30_000;

/** The usage series of a range; reloaded when the range or `version` changes. */
export function useUsage(range: Required<Pick<UsageQuery, 'from' | 'to' | 'granularity'>>, version: number) {
  const { from, to, granularity } = range;
  const load = useCallback(
    async (): Promise<UsageSeries> => (await call(api.GET('/api/analytics/usage', { params: { query: { from, to, granularity } } }))).data,
    [from, to, granularity],
  );
  return useLoad(load, version);
}

/** What the dashboard shows: statistics, the sessions held in memory and the health report; `refresh` reloads all three (and so does a timer). */
export function useDashboard() {
  const [version, setVersion] = useState(0);
  const stats = useLoad(loadStats, version);
  const active = useLoad(loadActive, version);
  const health = useLoad(loadHealth, version);
  const refresh = useCallback(() => setVersion((v) => v + 1), []);
  useEffect(() => {
    const timer = setInterval(refresh, AUTO_REFRESH_MS);
    return () => clearInterval(timer);
  }, [refresh]);
  return { stats, active, health: health.data ?? { state: 'checking' as const }, refresh, version };
}

export type CleanupStep =
  | { step: 'idle' }
  | { step: 'checking' }
  | { step: 'confirm'; daysOld: number; count: number }
  | { step: 'deleting'; daysOld: number; count: number }
  | { step: 'done'; daysOld: number; deleted: number }
  | { step: 'failed'; detail: string };

async function cleanup(daysOld: number, dryRun: boolean): Promise<number> {
  const { data } = await call(api.POST('/api/cleanup_sessions', { body: { days_old: daysOld, dry_run: dryRun } }));
  return data.deleted_count;
}

/** Cleanup in two calls: a dry run that counts, a confirmation, then the real deletion. */
export function useCleanup(onDeleted: () => void) {
  const [state, setState] = useState<CleanupStep>({ step: 'idle' });

  const check = useCallback(async (daysOld: number) => {
    setState({ step: 'checking' });
    try {
      setState({ step: 'confirm', daysOld, count: await cleanup(daysOld, true) });
    } catch (error) {
      setState({ step: 'failed', detail: errorMessage(error) });
    }
  }, []);

  const confirm = useCallback(async () => {
    if (state.step !== 'confirm') return;
    const { daysOld, count } = state;
    setState({ step: 'deleting', daysOld, count });
    try {
      setState({ step: 'done', daysOld, deleted: await cleanup(daysOld, false) });
      onDeleted();
    } catch (error) {
      setState({ step: 'failed', detail: errorMessage(error) });
    }
  }, [state, onDeleted]);

  const cancel = useCallback(() => setState({ step: 'idle' }), []);

  return { state, check, confirm, cancel };
}
