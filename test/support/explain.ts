import { Sql, SqlValue } from '../../src/database/sql';

/** The plan of one statement, one line per step; on PostgreSQL with sequential scans priced out, so an unusable index shows. */
export async function explain(sql: Sql, statement: string, params: readonly SqlValue[]): Promise<string> {
  if (sql.dialect === 'sqlite') {
    const rows = await sql.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${statement}`, params);
    return rows.map((r) => r.detail).join('\n');
  }
  return sql.transaction(async (tx) => {
    await tx.run('SET LOCAL enable_seqscan = off');
    const rows = await tx.all<{ 'QUERY PLAN': string }>(`EXPLAIN ${statement}`, params);
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  });
}
