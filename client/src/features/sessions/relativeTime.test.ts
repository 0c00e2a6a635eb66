import { describe, expect, it } from 'vitest';
import { relativeTime } from './relativeTime';

const now = Date.parse('2026-11-24T12:00:00Z');
const ago = (ms: number) => new Date(now - ms).toISOString();

describe('relativeTime', () => {
  it.each([
    [10_000, 'just now'],
    [5 * 60_000, '5 min ago'],
    [3 * 3_600_000, '3 h ago'],
    [30 * 3_600_000, 'yesterday'],
    [4 * 86_400_000, '4 days ago'],
  ])('should say %i ms ago is "%s"', (ms, expected) => {
    expect(relativeTime(ago(ms), now)).toBe(expected);
  });

  it('should give a date for older activity', () => {
    expect(relativeTime('2026-10-01T12:00:00Z', now)).toBe('Oct 1');
    expect(relativeTime('2025-10-01T12:00:00Z', now)).toBe('Oct 1, 2025');
  });
});
