import { Sql, SqlRunner } from '../sql';
import { SnapshotReader } from './snapshot-reader';

const SEQUENCE = "pg_get_serial_sequence('chat_messages', 'id')";

/** The largest message id the source ever handed out: its highest row, or its sequence if that is further. */
export async function messageIdHighWater(reader: SnapshotReader, dialect: Sql['dialect']): Promise<number> {
  const [max] = await reader.all<{ n: number | string | null }>('SELECT MAX(id) AS n FROM chat_messages');
  const sequence =
    dialect === 'postgres'
      ? await reader.all<{ n: number | string | null }>(
          `SELECT last_value AS n FROM pg_sequences WHERE quote_ident(schemaname) || '.' || quote_ident(sequencename) = ${SEQUENCE}`,
        )
      : (await hasSqliteSequence(reader))
        ? await reader.all<{ n: number | null }>("SELECT seq AS n FROM sqlite_sequence WHERE name = 'chat_messages'")
        : [];
  return Math.max(Number(max?.n ?? 0), Number(sequence[0]?.n ?? 0));
}

/** New messages on the target get ids above `highWater`, so they never collide with copied ones. */
export async function continueMessageIdsAfter(tx: SqlRunner, dialect: Sql['dialect'], highWater: number): Promise<void> {
  if (dialect === 'postgres') {
    await tx.get(highWater > 0 ? `SELECT setval(${SEQUENCE}, ?, true)` : `SELECT setval(${SEQUENCE}, 1, false)`, highWater > 0 ? [highWater] : []);
    return;
  }
  if (!(await hasSqliteSequence(tx))) return;
  await tx.run("DELETE FROM sqlite_sequence WHERE name = 'chat_messages'");
  if (highWater > 0) await tx.run("INSERT INTO sqlite_sequence (name, seq) VALUES ('chat_messages', ?)", [highWater]);
}

async function hasSqliteSequence(reader: Pick<SnapshotReader, 'all'>): Promise<boolean> {
  const rows = await reader.all("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'");
  return rows.length > 0;
}
