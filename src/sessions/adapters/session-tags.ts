import { SqlRunner } from '../../database/sql';

/** Ids per `IN (…)` read: well under both dialects' limits on bound parameters. */
const CHUNK = 500;

/** The tags of each of these sessions, sorted by code point in JS (collations differ between the dialects); sessions without tags are absent from the map. */
export async function tagsOf(runner: SqlRunner, sessionIds: readonly string[]): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>();
  for (let i = 0; i < sessionIds.length; i += CHUNK) {
    const ids = sessionIds.slice(i, i + CHUNK);
    const rows = await runner.all<{ session_id: string; tag: string }>(
      `SELECT session_id, tag FROM session_tags WHERE session_id IN (${ids.map(() => '?').join(', ')}) `,
      ids,
    );
    for (const { session_id, tag } of rows) found.set(session_id, [...(found.get(session_id) ?? []), tag]);
  }
  for (const tags of found.values()) tags.sort();
  return found;
}

/** Replaces the tags of one session (inside the caller's transaction). */
export async function replaceTags(tx: SqlRunner, sessionId: string, tags: readonly string[]): Promise<void> {
  await tx.run('DELETE FROM session_tags WHERE session_id = ?', [sessionId]);
  await insertTags(tx, sessionId, tags);
}

/** Adds tags to a session that has none of them (inside the caller's transaction). */
export async function insertTags(tx: SqlRunner, sessionId: string, tags: readonly string[]): Promise<void> {
  if (tags.length === 0) return;
  await tx.run(`INSERT INTO session_tags (session_id, tag) VALUES ${tags.map(() => '(?, ?)').join(', ')}`, tags.flatMap((tag) => [sessionId, tag]));
}
