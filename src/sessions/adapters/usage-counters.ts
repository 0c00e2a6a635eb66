import { SqlRunner } from '../../database/sql';
import { hourOf } from '../../database/db-time';
import { ModelUsage } from '../domain/session';
import { latencyBucket } from '../domain/latency-buckets';

/** One hour's changes to `usage_hourly`. */
interface HourChange {
  turns: number;
  new_sessions: number;
  model_calls: number;
  model_errors: number;
  latency_ms_sum: number;
  tokens_in: number;
  tokens_out: number;
  sentiment_sum: number;
  sentiment_count: number;
  /** Users active in this hour for the first time. */
  active_users: number;
  /** Only in the first hour of a UTC day: users active that day for the first time. */
  active_users_day: number;
}

export const USAGE_COLUMNS = [
  'turns',
  'new_sessions',
  'model_calls',
  'model_errors',
  'latency_ms_sum',
  'tokens_in',
  'tokens_out',
  'sentiment_sum',
  'sentiment_count',
] as const satisfies readonly (keyof HourChange)[];

/** Who counts as an active user: a session's owner, or everyone at once without accounts. */
export function userKey(ownerId: string | null): string {
  return ownerId ?? '';
}

/**
 * The usage history (`usage_hourly`, `usage_latency`, `usage_active_users`) and the hours of the
 * sessions' last activity (`session_last_activity`), changed inside the caller's transaction beside
 * ActivityCounters. Usage is history: it counts what happened and is never taken back when a
 * session is deleted. The last-activity buckets describe the stored sessions: a session moves
 * between hours as it is used and leaves them when it is deleted.
 */
export class UsageCounters {
  private readonly hours = new Map<number, HourChange>();
  private readonly latencies = new Map<string, number>();
  private readonly users = new Set<string>();
  private readonly lastActivity = new Map<number, number>();

  sessionCreated(at: Date): this {
    this.hour(at).new_sessions += 1;
    return this;
  }

  turnStarted(at: Date, ownerId: string | null, sentiment: number | null): this {
    const change = this.hour(at);
    change.turns += 1;
    if (sentiment !== null) {
      change.sentiment_sum += sentiment;
      change.sentiment_count += 1;
    }
    const hour = hourOf(at);
    this.users.add(`1:${hour}:${userKey(ownerId)}`);
    this.users.add(`24:${hour - (hour % 24)}:${userKey(ownerId)}`);
    return this;
  }

  modelAnswered(at: Date, usage: ModelUsage): this {
    const change = this.hour(at);
    change.model_calls += 1;
    change.latency_ms_sum += usage.latencyMs;
    change.tokens_in += usage.tokensIn;
    change.tokens_out += usage.tokensOut;
    const key = `${hourOf(at)}:${latencyBucket(usage.latencyMs)}`;
    this.latencies.set(key, (this.latencies.get(key) ?? 0) + 1);
    return this;
  }

  modelFailed(at: Date): this {
    this.hour(at).model_errors += 1;
    return this;
  }

  /** A session's last activity went from `from` to `to`; null: it did not exist before, or does not after. */
  activityMoved(from: Date | null, to: Date | null): this {
    const a = from === null ? null : hourOf(from);
    const b = to === null ? null : hourOf(to);
    if (a === b) return this;
    if (a !== null) this.lastActivity.set(a, (this.lastActivity.get(a) ?? 0) - 1);
    if (b !== null) this.lastActivity.set(b, (this.lastActivity.get(b) ?? 0) + 1);
    return this;
  }

  /** Adds `other`'s changes to these. */
  absorb(other: UsageCounters): this {
    for (const [hour, change] of other.hours) {
      const into = this.hourAt(hour);
      for (const column of Object.keys(change) as (keyof HourChange)[]) into[column] += change[column];
    }
    for (const [key, calls] of other.latencies) this.latencies.set(key, (this.latencies.get(key) ?? 0) + calls);
    for (const user of other.users) this.users.add(user);
    for (const [hour, delta] of other.lastActivity) this.lastActivity.set(hour, (this.lastActivity.get(hour) ?? 0) + delta);
    return this;
  }

  /**
   * Writes into shard `shard`. Tables in a fixed order (users, hours, latencies, last activity),
   * rows by key, as the batched PostgreSQL statement does: writers lock in one order.
   */
  async apply(tx: SqlRunner, shard: number): Promise<void> {
    for (const user of [...this.users].sort()) {
      const [span, start, key] = splitUser(user);
      const added = await tx.run('INSERT INTO usage_active_users (span, period_start, user_key) VALUES (?, ?, ?) ON CONFLICT DO NOTHING', [span, start, key]);
      if (added === 0) continue;
      const change = this.hourAt(start);
      if (span === 1) change.active_users += 1;
      else change.active_users_day += 1;
    }
    for (const [hour, change] of [...this.hours].sort(([a], [b]) => a - b)) {
      const columns = [...USAGE_COLUMNS, 'active_users', 'active_users_day'] as const;
      await tx.run(
        `INSERT INTO usage_hourly (hour, shard, ${columns.join(', ')}) VALUES (?, ?, ${columns.map(() => '?').join(', ')})
         ON CONFLICT (hour, shard) DO UPDATE SET ${columns.map((c) => `${c} = usage_hourly.${c} + excluded.${c}`).join(', ')}`,
        [hour, shard, ...columns.map((c) => change[c])],
      );
    }
    for (const [key, calls] of [...this.latencies].sort(([a], [b]) => a.localeCompare(b))) {
      const [hour, bucket] = key.split(':').map(Number);
      await tx.run(
        `INSERT INTO usage_latency (hour, shard, bucket, calls) VALUES (?, ?, ?, ?)
         ON CONFLICT (hour, shard, bucket) DO UPDATE SET calls = usage_latency.calls + excluded.calls`,
        [hour, shard, bucket, calls],
      );
    }
    for (const [hour, delta] of [...this.lastActivity].sort(([a], [b]) => a - b)) {
      if (delta === 0) continue;
      await tx.run(
        `INSERT INTO session_last_activity (hour, shard, sessions) VALUES (?, ?, ?)
         ON CONFLICT (hour, shard) DO UPDATE SET sessions = session_last_activity.sessions + excluded.sessions`,
        [hour, shard, delta],
      );
    }
  }

  private hour(at: Date): HourChange {
    return this.hourAt(hourOf(at));
  }

  private hourAt(hour: number): HourChange {
    let change = this.hours.get(hour);
    if (!change) {
      change = { turns: 0, new_sessions: 0, model_calls: 0, model_errors: 0, latency_ms_sum: 0, tokens_in: 0, tokens_out: 0, sentiment_sum: 0, sentiment_count: 0, active_users: 0, active_users_day: 0 };
      this.hours.set(hour, change);
    }
    return change;
  }
}

function splitUser(user: string): [number, number, string] {
  const first = user.indexOf(':');
  const second = user.indexOf(':', first + 1);
  return [Number(user.slice(0, first)), Number(user.slice(first + 1, second)), user.slice(second + 1)];
}
