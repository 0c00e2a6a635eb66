import { Sql } from '../../src/database/sql';

/** What the database answers a write the test made it refuse (a trigger's error, neither dialect's failure code). */
export const INJECTED_FAILURE = 'injected failure';

/**
 * Makes the database itself refuse `writes` to `table` of the rows that match `when` (an SQL
 * condition over NEW, or OLD for deletes), by a trigger: the failure lands in the middle of
 * whatever transaction writes such a row, on SQLite and PostgreSQL alike. Undone by `allowWrites`.
 */
export async function refuseWrites(sql: Sql, table: string, writes: 'INSERT' | 'DELETE', when = '1 = 1'): Promise<void> {
  const trigger = triggerName(table, writes);
  if (sql.dialect === 'sqlite') {
    await sql.run(`CREATE TRIGGER ${trigger} BEFORE ${writes} ON ${table} FOR EACH ROW WHEN ${when} BEGIN SELECT RAISE(ABORT, '${INJECTED_FAILURE}'); END`);
    return;
  }
  await sql.run(`CREATE OR REPLACE FUNCTION injected_failure() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '${INJECTED_FAILURE}'; END $$`);
  await sql.run(`CREATE TRIGGER ${trigger} BEFORE ${writes} ON ${table} FOR EACH ROW WHEN (${when}) EXECUTE FUNCTION injected_failure()`);
}

export async function allowWrites(sql: Sql, table: string, writes: 'INSERT' | 'DELETE'): Promise<void> {
  await sql.run(`DROP TRIGGER ${triggerName(table, writes)}${sql.dialect === 'postgres' ? ` ON ${table}` : ''}`);
}

function triggerName(table: string, writes: string): string {
  return `refuse_${writes.toLowerCase()}_${table}`;
}
