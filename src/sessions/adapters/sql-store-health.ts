import { Injectable } from '@nestjs/common';
import { Sql } from '../../database/sql';
import { toDbTime } from '../../database/db-time';
import { StoreHealth } from '../domain/store-health';

/** Not a session id the service hands out (those are UUIDs); the row never outlives its transaction. */
const PROBE_ID = 'health-probe';
/** Larger than a page, so a database with no page left to give refuses the probe as it would a turn. */
const PROBE_NAME = 'p'.repeat(8192);

class ProbeRolledBack extends Error {}

/** Writes a session row in a transaction that is then rolled back: a store that only reads is not ready. */
@Injectable()
export class SqlStoreHealth extends StoreHealth {
  constructor(private readonly sql: Sql) {
    super();
  }

  async check(): Promise<{ dialect: string }> {
    const now = toDbTime(new Date());
    try {
      await this.sql.transaction(async (tx) => {
        await tx.run('INSERT INTO chat_sessions (session_id, chat_name, created_at, last_activity, message_count) VALUES (?, ?, ?, ?, 0)', [
          PROBE_ID,
          PROBE_NAME,
          now,
          now,
        ]);
        throw new ProbeRolledBack();
      });
    } catch (error) {
      if (!(error instanceof ProbeRolledBack)) throw error;
    }
    return { dialect: this.sql.dialect };
  }
}
