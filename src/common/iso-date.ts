/**
 * The one ISO-8601 subset the API takes, for validation and queries alike:
 *   `YYYY-MM-DD` (a whole UTC day), or
 *   `YYYY-MM-DDTHH:MM[:SS[.fff]]` followed by `Z` or `±HH:MM` (an instant).
 * Fractions have 1 to 3 digits (milliseconds); the instant must fall in years 0001–9999 UTC, which
 * both stores hold. Week dates, ordinal dates, basic (compact) forms, comma fractions, hours alone
 * and times without a zone are refused: each of them meant something else to some parser.
 */
export interface IsoMoment {
  readonly at: Date;
  /** True for a bare `YYYY-MM-DD`, which stands for its whole UTC day. */
  readonly dateOnly: boolean;
}

export const ISO_DATE_FORMS = 'YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS[.fff]] with Z or ±HH:MM';

/** The first and last instants both stores can represent. */
export const EARLIEST = new Date('0001-01-01T00:00:00.000Z');
export const LATEST = new Date('9999-12-31T23:59:59.999Z');

const DAY_MS = 86_400_000;
const FORM = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** The moment `text` names, or undefined when it is not in the accepted subset or range. */
export function parseIsoMoment(text: string): IsoMoment | undefined {
  const match = FORM.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s = '0', fraction = '0', zone] = match;
  const [year, month, day, hour, minute, second] = [y, mo, d, h ?? '0', mi ?? '0', s].map(Number);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const offset = zone ? offsetMinutes(zone) : 0;
  if (offset === undefined) return undefined;
  const at = new Date(0);
  at.setUTCFullYear(year, month - 1, day);
  at.setUTCHours(hour, minute - offset, second, Number(fraction.padEnd(3, '0')));
  if (at < EARLIEST || at > LATEST) return undefined;
  return { at, dateOnly: h === undefined };
}

/**
 * The end of the span `until` names, exclusive: its next millisecond, or the next day for a bare
 * date. Undefined when that end lies past LATEST: nothing stored is later, so there is no bound.
 */
export function exclusiveEnd(until: IsoMoment): Date | undefined {
  const end = new Date(until.at.getTime() + (until.dateOnly ? DAY_MS : 1));
  return end > LATEST ? undefined : end;
}

function daysIn(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

function offsetMinutes(zone: string): number | undefined {
  if (zone === 'Z') return 0;
  const hours = Number(zone.slice(1, 3));
  const minutes = Number(zone.slice(4, 6));
  if (hours > 23 || minutes > 59) return undefined;
  return (zone[0] === '-' ? -1 : 1) * (hours * 60 + minutes);
}
