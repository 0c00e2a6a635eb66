import { defaultDeserialize } from '@keyv/serialize';

/**
 * How windows are written to Redis: plain JSON inside a `{"v2": …}` envelope.
 *
 * Keyv's default codec walks every value in JavaScript to escape strings that start with `:` and
 * parses with a reviver called for every value: for a window of twenty messages that cost more CPU
 * than the rest of its Redis round trip (profiled: 5.5 % of a turn). Windows are plain JSON
 * (LangChain's stored messages, booleans, numbers), so JSON itself is exact.
 *
 * The envelope keeps a rolling upgrade exact: an instance of the previous version reads `{"v2": …}`
 * as an entry without a value (a miss, so it rebuilds the window from the store), and this version
 * still reads the previous version's entries with Keyv's own codec. Both versions use the same key,
 * so neither keeps a window the other has stopped appending to.
 */
export function serializeWindow(data: unknown): string {
  return `{"v2":${JSON.stringify(data)}}`;
}

export function deserializeWindow<T>(text: string): T | undefined {
  const parsed = JSON.parse(text) as { v2?: T };
  if (parsed !== null && typeof parsed === 'object' && 'v2' in parsed) return parsed.v2;
  return defaultDeserialize(text) as T | undefined;
}
