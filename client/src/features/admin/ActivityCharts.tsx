import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { SessionStats } from '../../api/types';

const hourLabel = (hour: number) => `${String(hour).padStart(2, '0')}:00`;
const dayLabel = (date: string) =>
  new Date(`${date}T00:00:00Z`).toLocaleDateString('en', { month: 'short', day: 'numeric', timeZone: 'UTC' });

const axis = { stroke: 'var(--text-muted)', fontSize: 12, tickLine: false, axisLine: false } as const;
const tooltip = {
  contentStyle: { background: 'var(--surface)', border: '1px solid var(--border)', borderRadius: 8, color: 'var(--text)' },
  labelStyle: { color: 'var(--text)', fontWeight: 600 },
  cursor: { fill: 'var(--hover)' },
} as const;

function busiest(byHour: number[]): string {
  const max = Math.max(0, ...byHour);
  return max === 0 ? 'no messages yet' : `busiest at ${hourLabel(byHour.indexOf(max))} UTC with ${max} messages`;
}

export function MessagesByHourChart({ byHour }: { byHour: SessionStats['messages_by_hour'] }) {
  const data = byHour.map((messages, hour) => ({ hour: hourLabel(hour), messages }));
  return (
    <figure className="panel chart-panel">
      <figcaption>
        <h2>Messages by hour of day</h2>
        <p>Last 30 days, UTC</p>
      </figcaption>
      <div className="chart" role="img" aria-label={`Messages by hour of day: ${busiest(byHour)}`}>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
            <CartesianGrid vertical={false} stroke="var(--border)" />
            <XAxis dataKey="hour" {...axis} interval={2} tickFormatter={(label: string) => label.slice(0, 2)} />
            <YAxis allowDecimals={false} {...axis} />
            <Tooltip {...tooltip} />
            <Bar dataKey="messages" name="Messages" fill="var(--accent)" radius={[4, 4, 0, 0]} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

export function DailyActivityChart({ byDay }: { byDay: SessionStats['sessions_by_day'] }) {
  const data = byDay.map((day) => ({ ...day, label: dayLabel(day.date) }));
  const totals = byDay.reduce((sum, d) => ({ s: sum.s + d.sessions, m: sum.m + d.messages }), { s: 0, m: 0 });
  return (
    <figure className="panel chart-panel">
      <figcaption>
        <h2>Sessions and messages per day</h2>
        <p>Last 30 days</p>
      </figcaption>
      <div
        className="chart"
        role="img"
        aria-label={`Per day over the last 30 days: ${totals.s} sessions created and ${totals.m} messages written`}
      >
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -16 }} barGap={1}>
            <CartesianGrid vertical={false} stroke="var(--border)" />
            <XAxis dataKey="label" {...axis} minTickGap={24} />
            <YAxis allowDecimals={false} {...axis} />
            <Tooltip {...tooltip} />
            <Legend iconType="circle" iconSize={8} wrapperStyle={{ fontSize: 12 }} />
            <Bar dataKey="messages" name="Messages" fill="var(--accent)" radius={[3, 3, 0, 0]} isAnimationActive={false} />
            <Bar dataKey="sessions" name="Sessions" fill="var(--accent-2)" radius={[3, 3, 0, 0]} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
