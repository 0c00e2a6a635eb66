import { Injectable } from '@nestjs/common';
import { visibleTo } from '../../database/ownership';
import { Sql } from '../../database/sql';
import { Scope } from '../../sessions/domain/session';
import { ConversationMetadataStore, Metadata } from '../domain/conversation-metadata';

/** The `metadata` column of `chat_sessions`: a JSON object, null when none was set. */
@Injectable()
export class SqlConversationMetadataStore extends ConversationMetadataStore {
  constructor(private readonly sql: Sql) {
    super();
  }

  async find(scope: Scope, sessionId: string): Promise<Metadata | undefined> {
    const owner = visibleTo(scope, 's');
    const row = await this.sql.get<{ metadata: string | null }>(`SELECT s.metadata FROM chat_sessions s WHERE s.session_id = ? AND ${owner.sql}`, [
      sessionId,
      ...owner.params,
    ]);
    if (!row) return undefined;
    return row.metadata === null ? {} : (JSON.parse(row.metadata) as Metadata);
  }

  async replace(scope: Scope, sessionId: string, metadata: Metadata): Promise<boolean> {
    const owner = visibleTo(scope, 'chat_sessions');
    const value = Object.keys(metadata).length === 0 ? null : JSON.stringify(metadata);
    const updated = await this.sql.run(`UPDATE chat_sessions SET metadata = ? WHERE session_id = ? AND ${owner.sql}`, [
      value,
      sessionId,
      ...owner.params,
    ]);
    return updated > 0;
  }
}
