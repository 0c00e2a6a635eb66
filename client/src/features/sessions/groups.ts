import type { SessionSummary } from '../../api/types';

export const DAY_GROUPS = ['Today', 'Yesterday', 'Previous 7 days', 'Older'] as const;
export type DayGroup = (typeof DAY_GROUPS)[number];

/** The start of the local calendar day `days` days before the one `now` falls in. */
function dayStart(now: Date, days: number): number {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate() - days).getTime();
}

/** Which group a last activity falls in, by local calendar days (a time in the future counts as today). */
export function dayGroupOf(iso: string, now: Date = new Date()): DayGroup {
  const at = new Date(iso).getTime();
  if (at >= dayStart(now, 0) || Number.isNaN(at)) return 'Today';
  if (at >= dayStart(now, 1)) return 'Yesterday';
  if (at >= dayStart(now, 7)) return 'Previous 7 days';
  return 'Older';
}

/** The sessions in their day groups, in group order, each keeping the order it was given (the server's); empty groups are left out. */
export function groupByDay(sessions: readonly SessionSummary[], now: Date = new Date()): { group: DayGroup; sessions: SessionSummary[] }[] {
  const byGroup = new Map<DayGroup, SessionSummary[]>(DAY_GROUPS.map((g) => [g, []]));
  for (const session of sessions) byGroup.get(dayGroupOf(session.last_activity, now))!.push(session);
  return DAY_GROUPS.map((group) => ({ group, sessions: byGroup.get(group)! })).filter((g) => g.sessions.length > 0);
}
