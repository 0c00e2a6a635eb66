import { useId, useState } from 'react';
import type { UsageQuery } from '../../api/types';
import { useUsage } from './hooks';
import { ActivityTrendChart, LatencyChart, ModelErrorsChart, SentimentChart } from './UsageCharts';

const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export interface UsageRange {
  readonly from: string;
  readonly to: string;
  readonly granularity: NonNullable<UsageQuery['granularity']>;
}

/** The last `days` UTC days, today included. */
export function lastDays(days: number, now = Date.now()): UsageRange {
  return { from: isoDay(now - (days - 1) * DAY_MS), to: isoDay(now), granularity: days <= 2 ? 'hour' : 'day' };
}

const PRESETS = [
  { label: 'Today', days: 1 },
  { label: '7 days', days: 7 },
  { label: '30 days', days: 30 },
] as const;

/** Usage over a chosen range: activity, model latency and errors, and sentiment. */
export function UsageTrends({ version }: { version: number }) {
  const [range, setRange] = useState<UsageRange>(() => lastDays(30));
  const usage = useUsage(range, version);
  const id = useId();
  return (
    <section className="usage" aria-labelledby={`${id}-title`} aria-busy={usage.loading}>
      <div className="usage-header">
        <h2 id={`${id}-title`}>Usage over time</h2>
        <form className="range-picker" aria-label="Date range" onSubmit={(e) => e.preventDefault()}>
          <div className="range-presets" role="group" aria-label="Quick ranges">
            {PRESETS.map((p) => (
              <button key={p.label} type="button" className="button" onClick={() => setRange(lastDays(p.days))}>
                {p.label}
              </button>
            ))}
          </div>
          <label>
            From
            <input type="date" value={range.from} max={range.to} required onChange={(e) => e.target.value && setRange({ ...range, from: e.target.value })} />
          </label>
          <label>
            To
            <input type="date" value={range.to} min={range.from} required onChange={(e) => e.target.value && setRange({ ...range, to: e.target.value })} />
          </label>
          <label>
            By
            <select value={range.granularity} onChange={(e) => setRange({ ...range, granularity: e.target.value as UsageRange['granularity'] })}>
              <option value="hour">Hour</option>
              <option value="day">Day</option>
            </select>
          </label>
        </form>
      </div>
      {usage.error && (
        <p className="error-notice usage-error" role="alert">
          {usage.error}
        </p>
      )}
      {usage.data && (
        <div className="chart-grid">
          <ActivityTrendChart usage={usage.data} />
          <LatencyChart usage={usage.data} />
          <ModelErrorsChart usage={usage.data} />
          <SentimentChart usage={usage.data} />
        </div>
      )}
    </section>
  );
}
