import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { cloneElement, type ReactElement } from 'react';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { apiError, callsTo, fakeApi, json } from '../../test/fakeApi';
import { renderWithRouter, SESSION } from '../../test/render';
import Dashboard from './Dashboard';

// jsdom measures every element as 0×0: give the charts a fixed size instead of a responsive one.
vi.mock('recharts', async (importOriginal) => ({
  ...(await importOriginal<typeof import('recharts')>()),
  ResponsiveContainer: ({ children }: { children: ReactElement<{ width?: number; height?: number }> }) =>
    cloneElement(children, { width: 500, height: 240 }),
}));

const stats = {
  total_sessions: 1234,
  total_messages: 5678,
  recent_sessions_24h: 12,
  active_sessions: 3,
  avg_messages_per_session: 4.6012,
  messages_by_hour: Array.from({ length: 24 }, (_, h) => (h === 14 ? 9 : 1)),
  sessions_by_day: Array.from({ length: 30 }, (_, i) => ({ date: `2026-11-${String(i + 1).padStart(2, '0')}`, sessions: 1, messages: 2 })),
};

const point = (start: string, extra: Record<string, unknown> = {}) => ({
  start,
  turns: 0,
  new_sessions: 0,
  active_users: 0,
  model_calls: 0,
  model_errors: 0,
  avg_latency_ms: null,
  p95_latency_ms: null,
  tokens_in: 0,
  tokens_out: 0,
  avg_sentiment: null,
  scored_messages: 0,
  ...extra,
});

const usage = {
  granularity: 'day',
  from: '2026-11-23T00:00:00.000Z',
  to: '2026-11-25T00:00:00.000Z',
  series: [
    point('2026-11-23T00:00:00.000Z', { turns: 10, new_sessions: 4, active_users: 3, model_calls: 9, model_errors: 1, avg_latency_ms: 420, p95_latency_ms: 1024, tokens_in: 900, tokens_out: 300, avg_sentiment: 0.5, scored_messages: 10 }),
    point('2026-11-24T00:00:00.000Z', { turns: 5, new_sessions: 1, active_users: 2, model_calls: 2, model_errors: 3, avg_latency_ms: 800, p95_latency_ms: 2896.3, tokens_in: 100, tokens_out: 50, avg_sentiment: -1, scored_messages: 5 }),
  ],
};

function dashboardApi(overrides: Record<string, Parameters<typeof fakeApi>[0][string]> = {}) {
  return fakeApi({
    'GET /api/session_stats': () => json({ stats }),
    'GET /api/sessions': () => json({ active_sessions: [SESSION], total_sessions: 1 }),
    'GET /api/health': () => json({ status: 'ok', info: {}, error: {}, details: {} }),
    'GET /api/analytics/usage': () => json(usage),
    ...overrides,
  });
}

function card(label: string) {
  return screen.getByText(label).closest('.stat-card') as HTMLElement;
}

describe(Dashboard.name, () => {
  it('should show the statistics as cards, with the active count from /api/sessions', async () => {
    dashboardApi();
    renderWithRouter(<Dashboard />, '/admin');

    await waitFor(() => expect(card('Total sessions')).toHaveTextContent('1,234'));
    expect(card('Total messages')).toHaveTextContent('5,678');
    expect(card('Active in last 24 h')).toHaveTextContent('12');
    expect(card('Active sessions')).toHaveTextContent('1');
    expect(card('Avg messages / session')).toHaveTextContent('4.6');
    expect(screen.getByRole('img', { name: /busiest at 14:00 UTC with 9 messages/ })).toBeInTheDocument();
    expect(screen.getByRole('img', { name: /30 sessions created and 60 messages written/ })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /back to chat/i })).toHaveAttribute('href', '/');
  });

  it('should show the health status', async () => {
    dashboardApi();
    renderWithRouter(<Dashboard />, '/admin');
    expect(await screen.findByText('Service healthy')).toBeInTheDocument();
  });

  it('should show an unhealthy service and what fails', async () => {
    dashboardApi({
      'GET /api/health': () => json({ status: 'error', info: {}, error: { database: { status: 'down' } }, details: {} }, 503),
    });
    renderWithRouter(<Dashboard />, '/admin');
    expect(await screen.findByText('Service unhealthy: database down')).toBeInTheDocument();
  });

  it('should clean up after a dry run and a confirmation', async () => {
    const calls = dashboardApi({
      'POST /api/cleanup_sessions': ({ body }) => {
        const { days_old, dry_run } = body as { days_old: number; dry_run: boolean };
        return json({ deleted_count: 7, days_old, dry_run });
      },
    });
    const { user } = renderWithRouter(<Dashboard />, '/admin');
    const days = await screen.findByRole('spinbutton', { name: 'Inactive for more than' });
    await user.clear(days);
    await user.type(days, '14');

    await user.click(screen.getByRole('button', { name: 'Clean up' }));

    const dialog = await screen.findByRole('dialog', { name: 'Delete 7 sessions?' });
    expect(dialog).toHaveTextContent('7 sessions inactive for more than 14 days will be deleted');
    expect(callsTo(calls, 'POST /api/cleanup_sessions').map((c) => c.body)).toEqual([{ days_old: 14, dry_run: true }]);

    await user.click(within(dialog).getByRole('button', { name: 'Delete' }));

    expect(await screen.findByText('Deleted 7 sessions.')).toBeInTheDocument();
    expect(callsTo(calls, 'POST /api/cleanup_sessions').map((c) => c.body)).toEqual([
      { days_old: 14, dry_run: true },
      { days_old: 14, dry_run: false },
    ]);
    await waitFor(() => expect(callsTo(calls, 'GET /api/session_stats')).toHaveLength(2));
  });

  it('should delete nothing when the cleanup is cancelled with Escape', async () => {
    const calls = dashboardApi({
      'POST /api/cleanup_sessions': () => json({ deleted_count: 2, days_old: 30, dry_run: true }),
    });
    const { user } = renderWithRouter(<Dashboard />, '/admin');

    await user.click(await screen.findByRole('button', { name: 'Clean up' }));
    await screen.findByRole('dialog');
    await user.keyboard('{Escape}');

    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(callsTo(calls, 'POST /api/cleanup_sessions')).toHaveLength(1);
  });

  it('should say so when no session is old enough', async () => {
    dashboardApi({ 'POST /api/cleanup_sessions': () => json({ deleted_count: 0, days_old: 30, dry_run: true }) });
    const { user } = renderWithRouter(<Dashboard />, '/admin');

    await user.click(await screen.findByRole('button', { name: 'Clean up' }));

    expect(await screen.findByText(/Nothing to delete/)).toBeInTheDocument();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  describe('usage over time', () => {
    it('should show the usage, latency, error and sentiment trends of the last 30 days by day', async () => {
      vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-11-24T15:00:00.000Z') });
      onTestFinished(() => {
        vi.useRealTimers();
      });
      const calls = dashboardApi();
      renderWithRouter(<Dashboard />, '/admin');

      expect(await screen.findByRole('img', { name: 'Usage trend: 15 turns and 5 new sessions; at most 3 active users in one day' })).toBeInTheDocument();
      expect(screen.getByRole('img', { name: 'Model latency: 95th percentile up to 2,896.3 ms' })).toBeInTheDocument();
      expect(screen.getByRole('img', { name: 'Model calls and errors: 11 answered and 4 failed' })).toBeInTheDocument();
      expect(screen.getByText('Error rate 26.7% · tokens 1,000 in, 350 out')).toBeInTheDocument();
      // (0.5 × 10 − 1 × 5) / 15 scored messages.
      expect(screen.getByRole('img', { name: 'Sentiment: mean 0.00 over 15 messages (neutral)' })).toBeInTheDocument();
      const [first] = callsTo(calls, 'GET /api/analytics/usage');
      expect(Object.fromEntries(first!.url.searchParams)).toEqual({ from: '2026-10-26', to: '2026-11-24', granularity: 'day' });
    });

    it('should ask for the range and granularity picked', async () => {
      vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-11-24T15:00:00.000Z') });
      onTestFinished(() => {
        vi.useRealTimers();
      });
      const calls = dashboardApi();
      const { user } = renderWithRouter(<Dashboard />, '/admin');
      await screen.findByRole('img', { name: /^Usage trend/ });

      await user.click(screen.getByRole('button', { name: '7 days' }));
      await waitFor(() => expect(callsTo(calls, 'GET /api/analytics/usage')).toHaveLength(2));
      expect(Object.fromEntries(callsTo(calls, 'GET /api/analytics/usage')[1]!.url.searchParams)).toEqual({ from: '2026-11-18', to: '2026-11-24', granularity: 'day' });

      await user.selectOptions(screen.getByRole('combobox', { name: 'By' }), 'hour');
      await waitFor(() => expect(callsTo(calls, 'GET /api/analytics/usage')).toHaveLength(3));
      expect(callsTo(calls, 'GET /api/analytics/usage')[2]!.url.searchParams.get('granularity')).toBe('hour');

      // A date input takes a whole date at once, as a picker sets it.
      fireEvent.change(screen.getByLabelText('From'), { target: { value: '2026-11-20' } });
      await waitFor(() => expect(callsTo(calls, 'GET /api/analytics/usage').at(-1)!.url.searchParams.get('from')).toBe('2026-11-20'));
    });

    it('should say why the service refused a range', async () => {
      dashboardApi({
        'GET /api/analytics/usage': () => apiError(400, 'validation_failed', 'The range holds 800 hour buckets; at most 744 are served: narrow it or ask for granularity=day.'),
      });
      renderWithRouter(<Dashboard />, '/admin');
      expect(await screen.findByText(/at most 744 are served/)).toBeInTheDocument();
      expect(screen.queryByRole('img', { name: /^Usage trend/ })).not.toBeInTheDocument();
    });
  });
});
