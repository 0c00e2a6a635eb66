import { fromDbTime } from '../../database/db-time';
import { OrganisedSession } from '../domain/organise';
import { Sender, Session, StoredMessage } from '../domain/session';

/** Rows as both dialects return them: SQLite gives ISO strings, PostgreSQL gives Dates. */
export interface SessionRow {
  session_id: string;
  chat_name: string;
  created_at: string | Date;
  last_activity: string | Date;
  message_count: number;
}

export interface MessageRow {
  id: number;
  session_id: string;
  sender: Sender;
  content: string;
  timestamp: string | Date;
}

export const SESSION_COLUMNS = 'session_id, chat_name, created_at, last_activity, message_count';
/** A session row with its organising columns (0/1 flags in both dialects). */
export interface OrganisedRow extends SessionRow {
  pinned: number;
  archived: number;
  version: number;
}

export const ORGANISED_COLUMNS = `${SESSION_COLUMNS}, pinned, archived, version`;
export const MESSAGE_COLUMNS = 'id, session_id, sender, content, "timestamp"';

export function toSession(row: SessionRow): Session {
  return {
    sessionId: row.session_id,
    chatName: row.chat_name,
    createdAt: fromDbTime(row.created_at),
    lastActivity: fromDbTime(row.last_activity),
    messageCount: Number(row.message_count),
  };
}

export function toOrganised(row: OrganisedRow, tags: string[]): OrganisedSession {
  return { ...toSession(row), pinned: Number(row.pinned) === 1, archived: Number(row.archived) === 1, tags, version: Number(row.version) };
}

export function toMessage(row: MessageRow): StoredMessage {
  return {
    id: Number(row.id),
    sessionId: row.session_id,
    sender: row.sender,
    content: row.content,
    timestamp: fromDbTime(row.timestamp),
  };
}
