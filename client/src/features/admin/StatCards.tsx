import type { ActiveSessions, SessionStats } from '../../api/types';

const numberFormat = new Intl.NumberFormat('en');
const averageFormat = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });

interface StatCardsProps {
  stats: SessionStats | null;
  active: ActiveSessions | null;
}

export function StatCards({ stats, active }: StatCardsProps) {
  const show = (value: number | undefined, format = numberFormat) => (value === undefined ? '—' : format.format(value));
  const cards = [
    { label: 'Total sessions', value: show(stats?.total_sessions) },
    { label: 'Total messages', value: show(stats?.total_messages) },
    { label: 'Active in last 24 h', value: show(stats?.recent_sessions_24h) },
    { label: 'Active sessions', value: show(active?.total_sessions ?? stats?.active_sessions), hint: 'held in memory now' },
    { label: 'Avg messages / session', value: show(stats?.avg_messages_per_session, averageFormat) },
  ];
  return (
    <dl className="stat-cards">
      {cards.map((card) => (
        <div key={card.label} className="stat-card">
          <dt>{card.label}</dt>
          <dd>
            <span className="stat-value">{card.value}</span>
            {card.hint && <span className="stat-hint">{card.hint}</span>}
          </dd>
        </div>
      ))}
    </dl>
  );
}
