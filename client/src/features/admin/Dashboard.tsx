import { Link } from 'react-router';
import { ArrowLeftIcon, RefreshIcon } from '../../components/icons';
import { ActiveSessions } from './ActiveSessions';
import { DailyActivityChart, MessagesByHourChart } from './ActivityCharts';
import { CleanupTool } from './CleanupTool';
import { HealthStatus } from './HealthStatus';
import { useDashboard } from './hooks';
import { StatCards } from './StatCards';
import { UsageTrends } from './UsageTrends';
import '../../styles/admin.css';

export default function Dashboard() {
  const { stats, active, health, refresh, version } = useDashboard();
  const error = stats.error ?? active.error;
  return (
    <div className="admin">
      <title>Dashboard · Chat</title>
      <header className="admin-header">
        <Link className="nav-link" to="/" aria-label="Back to chat">
          <ArrowLeftIcon width={16} height={16} />
          <span className="button-label">Back to chat</span>
        </Link>
        <h1>Dashboard</h1>
        <HealthStatus health={health} />
        <button type="button" className="button" aria-label="Refresh" onClick={refresh} disabled={stats.loading}>
          <RefreshIcon width={16} height={16} />
          <span className="button-label">Refresh</span>
        </button>
      </header>
      <main className="admin-main" aria-busy={stats.loading}>
        {error && (
          <div className="error-notice" role="alert">
            <p className="error-detail">{error}</p>
            <button type="button" className="button" onClick={refresh}>
              Retry
            </button>
          </div>
        )}
        <StatCards stats={stats.data} active={active.data} />
        {stats.data && (
          <div className="chart-grid">
            <MessagesByHourChart byHour={stats.data.messages_by_hour} />
            <DailyActivityChart byDay={stats.data.sessions_by_day} />
          </div>
        )}
        <UsageTrends version={version} />
        <div className="panel-grid">
          <CleanupTool onDeleted={refresh} />
          <ActiveSessions active={active.data} />
        </div>
      </main>
    </div>
  );
}
