import { Bar, CartesianGrid, ComposedChart, Legend, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { UsagePoint, UsageSeries } from '../../api/types';

type Granularity = UsageSeries['granularity'];

const axis = { stroke: 'var(--text-muted)', fontSize: 12, tickLine: false, axisLine: false } as const;
const tooltip = {
  contentStyle: { background: 'var(--surface)', border: '1px solid var(--border)', borderRadius: 8, color: 'var(--text)' },
  labelStyle: { color: 'var(--text)', fontWeight: 600 },
  cursor: { fill: 'var(--hover)' },
} as const;

/** A bucket's start as its axis label: "Nov 24" for days, "Nov 24 14:00" for hours (UTC). */
export function bucketLabel(start: string, granularity: Granularity): string {
  const date = new Date(start);
  const day = date.toLocaleDateString('en', { month: 'short', day: 'numeric', timeZone: 'UTC' });
  return granularity === 'day' ? day : `${day} ${String(date.getUTCHours()).padStart(2, '0')}:00`;
}

const sum = (points: UsagePoint[], pick: (p: UsagePoint) => number) => points.reduce((total, p) => total + pick(p), 0);
const fmt = (n: number) => n.toLocaleString('en');

interface Series {
  readonly key: string;
  readonly name: string;
  readonly color: string;
  readonly kind: 'line' | 'bar';
  readonly dashed?: boolean;
}

interface PanelProps {
  readonly title: string;
  readonly hint: string;
  /** What the chart shows, in words, for those who cannot see it. */
  readonly summary: string;
  readonly data: Record<string, number | string | null>[];
  readonly series: readonly Series[];
  readonly unit?: string;
  readonly zeroLine?: boolean;
  readonly decimals?: boolean;
  /** The value axis' extent; by default from 0 to the largest value. */
  readonly domain?: [(min: number) => number, (max: number) => number];
}

function ChartPanel({ title, hint, summary, data, series, unit, zeroLine, decimals, domain }: PanelProps) {
  return (
    <figure className="panel chart-panel">
      <figcaption>
        <h2>{title}</h2>
        <p>{hint}</p>
      </figcaption>
      <div className="chart" role="img" aria-label={`${title}: ${summary}`}>
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -8 }}>
            <CartesianGrid vertical={false} stroke="var(--border)" />
            <XAxis dataKey="label" {...axis} minTickGap={24} />
            <YAxis allowDecimals={decimals ?? false} unit={unit} domain={domain} {...axis} />
            <Tooltip {...tooltip} />
            <Legend iconType="circle" iconSize={8} wrapperStyle={{ fontSize: 12 }} />
            {zeroLine && <ReferenceLine y={0} stroke="var(--border-strong)" />}
            {series.map((s) =>
              s.kind === 'bar' ? (
                <Bar key={s.key} dataKey={s.key} name={s.name} fill={s.color} radius={[3, 3, 0, 0]} isAnimationActive={false} />
              ) : (
                <Line
                  key={s.key}
                  dataKey={s.key}
                  name={s.name}
                  stroke={s.color}
                  strokeWidth={2}
                  strokeDasharray={s.dashed ? '4 3' : undefined}
                  // A bucket between empty ones has no neighbour to draw a line to: its dot shows it.
                  dot={{ r: 2.5, fill: s.color, strokeWidth: 0 }}
                  connectNulls
                  isAnimationActive={false}
                />
              ),
            )}
          </ComposedChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

/** Turns, new sessions and active users per bucket. */
export function ActivityTrendChart({ usage }: { usage: UsageSeries }) {
  const data = usage.series.map((p) => ({ label: bucketLabel(p.start, usage.granularity), turns: p.turns, sessions: p.new_sessions, users: p.active_users }));
  const summary = `${fmt(sum(usage.series, (p) => p.turns))} turns and ${fmt(sum(usage.series, (p) => p.new_sessions))} new sessions; at most ${fmt(
    Math.max(0, ...usage.series.map((p) => p.active_users)),
  )} active users in one ${usage.granularity}`;
  return (
    <ChartPanel
      title="Usage trend"
      hint={`Per ${usage.granularity}, UTC`}
      summary={summary}
      data={data}
      series={[
        { key: 'turns', name: 'Turns', color: 'var(--accent)', kind: 'bar' },
        { key: 'sessions', name: 'New sessions', color: 'var(--accent-2)', kind: 'line' },
        { key: 'users', name: 'Active users', color: 'var(--text-muted)', kind: 'line', dashed: true },
      ]}
    />
  );
}

/** Mean and 95th percentile model latency per bucket. */
export function LatencyChart({ usage }: { usage: UsageSeries }) {
  const data = usage.series.map((p) => ({ label: bucketLabel(p.start, usage.granularity), avg: p.avg_latency_ms, p95: p.p95_latency_ms }));
  const p95s = usage.series.map((p) => p.p95_latency_ms).filter((v): v is number => v !== null);
  const summary = p95s.length === 0 ? 'no model calls in this range' : `95th percentile up to ${fmt(Math.max(...p95s))} ms`;
  return (
    <ChartPanel
      title="Model latency"
      hint="Mean and 95th percentile, ms"
      summary={summary}
      data={data}
      unit=" ms"
      series={[
        { key: 'avg', name: 'Mean', color: 'var(--accent)', kind: 'line' },
        { key: 'p95', name: 'p95', color: 'var(--danger)', kind: 'line', dashed: true },
      ]}
    />
  );
}

/** Model calls that answered and those that failed. */
export function ModelErrorsChart({ usage }: { usage: UsageSeries }) {
  const data = usage.series.map((p) => ({ label: bucketLabel(p.start, usage.granularity), calls: p.model_calls, errors: p.model_errors }));
  const calls = sum(usage.series, (p) => p.model_calls);
  const errors = sum(usage.series, (p) => p.model_errors);
  const rate = calls + errors === 0 ? 0 : (100 * errors) / (calls + errors);
  return (
    <ChartPanel
      title="Model calls and errors"
      hint={`Error rate ${rate.toFixed(1)}% · tokens ${fmt(sum(usage.series, (p) => p.tokens_in))} in, ${fmt(sum(usage.series, (p) => p.tokens_out))} out`}
      summary={`${fmt(calls)} answered and ${fmt(errors)} failed`}
      data={data}
      series={[
        { key: 'calls', name: 'Answered', color: 'var(--accent)', kind: 'bar' },
        { key: 'errors', name: 'Failed', color: 'var(--danger)', kind: 'bar' },
      ]}
    />
  );
}

/** The mean sentiment of human messages per bucket, around neutral. */
export function SentimentChart({ usage }: { usage: UsageSeries }) {
  const data = usage.series.map((p) => ({ label: bucketLabel(p.start, usage.granularity), sentiment: p.avg_sentiment }));
  const scored = sum(usage.series, (p) => p.scored_messages);
  const mean = scored === 0 ? null : sum(usage.series, (p) => (p.avg_sentiment ?? 0) * p.scored_messages) / scored;
  const summary = mean === null ? 'no scored messages in this range' : `mean ${mean.toFixed(2)} over ${fmt(scored)} messages (${mood(mean)})`;
  return (
    <ChartPanel
      title="Sentiment"
      hint="Mean of human messages; above 0 positive, below negative"
      summary={summary}
      data={data}
      decimals
      zeroLine
      // Neutral in the middle, and room for the usual range of AFINN's per-word scores.
      domain={[(min) => Math.min(-1, Math.floor(min)), (max) => Math.max(1, Math.ceil(max))]}
      series={[{ key: 'sentiment', name: 'Sentiment', color: 'var(--accent-2)', kind: 'line' }]}
    />
  );
}

function mood(score: number): string {
  if (score > 0.05) return 'positive';
  if (score < -0.05) return 'negative';
  return 'neutral';
}
