import { describe, expect, it } from 'vitest';
import { summary } from '../../test/render';
import { dayGroupOf, groupByDay } from './groups';

describe('day groups', () => {
  // Local time, like the sidebar: 00:30 on the 24th.
  const now = new Date(2026, 10, 24, 0, 30);
  const at = (...args: [number, number, number, number?]) => new Date(2026, args[0], args[1], args[2], args[3] ?? 0).toISOString();

  it('should put a last activity in today, yesterday, the previous 7 days or older by calendar day', () => {
    expect(dayGroupOf(at(10, 24, 0, 1), now)).toBe('Today');
    expect(dayGroupOf(at(10, 23, 23, 59), now)).toBe('Yesterday');
    expect(dayGroupOf(at(10, 23, 0, 0), now)).toBe('Yesterday');
    expect(dayGroupOf(at(10, 22, 23, 59), now)).toBe('Previous 7 days');
    expect(dayGroupOf(at(10, 17, 0, 0), now)).toBe('Previous 7 days');
    expect(dayGroupOf(at(10, 16, 23, 59), now)).toBe('Older');
    expect(dayGroupOf(at(11, 1, 0, 0), now)).toBe('Today');
  });

  it('should keep the given order inside each group and leave empty groups out', () => {
    const items = [
      { ...summary('a', 'a', 0, 1), last_activity: at(10, 24, 0, 20) },
      { ...summary('b', 'b', 0, 1), last_activity: at(9, 2, 12) },
      { ...summary('c', 'c', 0, 1), last_activity: at(10, 24, 0, 10) },
    ];
    const groups = groupByDay(items, now);
    expect(groups.map((g) => [g.group, g.sessions.map((s) => s.session_id)])).toEqual([
      ['Today', ['a', 'c']],
      ['Older', ['b']],
    ]);
  });
});
