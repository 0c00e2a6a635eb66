import { screen, waitFor, within } from '@testing-library/react';
import { cloneElement, type ReactElement } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { callsTo, fakeApi, json } from '../../test/fakeApi';
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

function dashboardApi(overrides: Record<string, Parameters<typeof fakeApi>[0][string]> = {}) {
  return fakeApi({
    'GET /api/session_stats': () => json({ stats }),
    'GET /api/sessions': () => json({ active_sessions: [SESSION], total_sessions: 1 }),
    'GET /api/health': () => json({ status: 'ok', info: {}, error: {}, details: {} }),
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
});
