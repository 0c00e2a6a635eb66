import { EARLIEST, LATEST } from '../../../common/iso-date';

/** A defect of one conversation in a file, said in the words of that file's format. */
export class ConversationDefect extends Error {}

/** One entry of a file read: a conversation to store, or the reason it is left out. */
export type ReadEntry<T> = { readonly ok: true; readonly conversation: T } | { readonly ok: false; readonly title: string; readonly reason: string };

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `value` as an object, or a defect naming `what`. */
export function record(value: unknown, what: string): Record<string, unknown> {
  if (!isRecord(value)) throw new ConversationDefect(`${what} is not an object`);
  return value;
}

export function list(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new ConversationDefect(`${what} is not a list`);
  return value;
}

export function text(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new ConversationDefect(`${what} is not a string`);
  return value;
}

/**
 * A moment from an ISO-8601 string (any precision: exports write microseconds) or from epoch
 * seconds (ChatGPT); undefined when absent, a defect when present but not a moment both stores hold.
 */
export function moment(value: unknown, what: string): Date | undefined {
  if (value === undefined || value === null) return undefined;
  let at: Date | undefined;
  if (typeof value === 'number' && Number.isFinite(value)) at = new Date(Math.round(value * 1000));
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) at = new Date(value);
  if (!at || Number.isNaN(at.getTime()) || at < EARLIEST || at > LATEST) throw new ConversationDefect(`${what} is not a time (got ${JSON.stringify(value)?.slice(0, 40)})`);
  return at;
}

/** An optional title: a trimmed string, or '' when there is none. */
export function title(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}
