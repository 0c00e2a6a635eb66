/** How times are written to and read from either store, and the hour key of the activity counters. */
const HOUR_MS = 3_600_000;

export function toDbTime(date: Date): string {
  return date.toISOString();
}

/** SQLite gives ISO strings, PostgreSQL gives Dates. */
export function fromDbTime(value: string | Date): Date {
  return value instanceof Date ? value : new Date(value);
}

/** The UTC hour a moment falls in, as hours since the epoch: the key of `chat_activity`. */
export function hourOf(date: Date): number {
  return Math.floor(date.getTime() / HOUR_MS);
}
