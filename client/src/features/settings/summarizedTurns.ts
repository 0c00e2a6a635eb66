import { api, call } from '../../api/client';

export interface TurnCount {
  turns: number;
  /** False when counting stopped at MAX_PAGES: there are at least `turns`. */
  complete: boolean;
}

const PAGE = 100;
const MAX_PAGES = 5;

/**
 * Counts the turns (Human messages) that the summary covers, up to message `until`. `/context` gives
 * only that id, so the count comes from the history; after a count for an earlier `until`, only the
 * messages since it are read, so a long chat costs one small page per turn, not its whole history.
 */
export async function countSummarizedTurns(
  sessionId: string,
  until: number,
  previous: (TurnCount & { until: number }) | null,
  signal: AbortSignal,
): Promise<TurnCount> {
  if (previous && previous.until === until) return previous;
  const base = previous && previous.complete && previous.until < until ? previous : null;
  let turns = base?.turns ?? 0;
  let before = until + 1;
  for (let page = 0; page < MAX_PAGES; page++) {
    const { data } = await call(api.POST('/api/get_history', { body: { session_id: sessionId, limit: PAGE, before_id: before }, signal }));
    const fresh = base ? data.messages.filter((m) => m.id > base.until) : data.messages;
    turns += fresh.filter((m) => m.sender === 'Human').length;
    const oldest = data.messages[0];
    if (!data.has_more || !oldest || fresh.length < data.messages.length) return { turns, complete: true };
    before = oldest.id;
  }
  return { turns, complete: false };
}
