import { Injectable } from '@nestjs/common';
import { fromDbTime, toDbTime } from '../../database/db-time';
import { Sql } from '../../database/sql';
import { Sender } from '../../sessions/domain/session';
import { SharedConversation, ShareStore } from '../domain/shared-conversation';

interface ShareRow {
  share_id: string;
  chat_name: string;
  messages: string;
  created_at: string | Date;
}

/** One row per share, the messages as a JSON array (read whole, never queried into), in portable SQL. */
@Injectable()
export class SqlShareStore extends ShareStore {
  constructor(private readonly sql: Sql) {
    super();
  }

  async create(sessionId: string, s: SharedConversation): Promise<void> {
    const messages = s.messages.map((m) => ({ sender: m.sender, content: m.content, timestamp: m.timestamp.toISOString() }));
    await this.sql.run('INSERT INTO shared_sessions (share_id, session_id, chat_name, messages, created_at) VALUES (?, ?, ?, ?, ?)', [
      s.shareId,
      sessionId,
      s.chatName,
      JSON.stringify(messages),
      toDbTime(s.createdAt),
    ]);
  }

  async find(shareId: string): Promise<SharedConversation | null> {
    const row = await this.sql.get<ShareRow>('SELECT share_id, chat_name, messages, created_at FROM shared_sessions WHERE share_id = ?', [shareId]);
    if (!row) return null;
    const messages = (JSON.parse(row.messages) as { sender: Sender; content: string; timestamp: string }[]).map((m) => ({ ...m, timestamp: new Date(m.timestamp) }));
    return { shareId: row.share_id, chatName: row.chat_name, createdAt: fromDbTime(row.created_at), messages };
  }

  async delete(sessionId: string, shareId: string): Promise<boolean> {
    return (await this.sql.run('DELETE FROM shared_sessions WHERE share_id = ? AND session_id = ?', [shareId, sessionId])) > 0;
  }
}
