import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A full-text index of message contents and chat names (issue 12), filled from the rows already
 * there. Both dialects only fold case, so a query finds the same rows on either store.
 *
 * SQLite: FTS5 tables kept in step by triggers, so every writer (the store, copy-store, imports)
 * updates them in its own transaction. Messages use an external-content table keyed by their
 * INTEGER PRIMARY KEY. Sessions have a text key and an implicit rowid that `VACUUM INTO` (the
 * backup) may renumber, so chat names get a stable integer key of their own in `chat_name_keys`.
 *
 * PostgreSQL: generated `tsvector` columns with GIN indexes. The `simple` configuration lowercases
 * and does no stemming or stop words, which suits any language. ASCII punctuation becomes a space
 * first, so that `user@example.com` or `off_sale` is split into words as SQLite and our query
 * parser split it (PostgreSQL's parser would keep e-mails, hosts and paths as one lexeme).
 */
export class FullTextSearch1765300000000 implements MigrationInterface {
  name = 'FullTextSearch1765300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const statements = queryRunner.connection.driver.options.type === 'postgres' ? POSTGRES_UP : SQLITE_UP;
    for (const sql of statements) await queryRunner.query(sql);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const statements = queryRunner.connection.driver.options.type === 'postgres' ? POSTGRES_DOWN : SQLITE_DOWN;
    for (const sql of statements) await queryRunner.query(sql);
  }
}

const TOKENIZER = `tokenize = 'unicode61 remove_diacritics 0'`;

const SQLITE_UP = [
  `CREATE VIRTUAL TABLE chat_messages_fts USING fts5(content, content = 'chat_messages', content_rowid = 'id', ${TOKENIZER})`,
  `CREATE TRIGGER chat_messages_fts_insert AFTER INSERT ON chat_messages BEGIN
     INSERT INTO chat_messages_fts (rowid, content) VALUES (new.id, new.content);
   END`,
  `CREATE TRIGGER chat_messages_fts_delete AFTER DELETE ON chat_messages BEGIN
     INSERT INTO chat_messages_fts (chat_messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
   END`,
  `CREATE TRIGGER chat_messages_fts_update AFTER UPDATE OF content ON chat_messages BEGIN
     INSERT INTO chat_messages_fts (chat_messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
     INSERT INTO chat_messages_fts (rowid, content) VALUES (new.id, new.content);
   END`,
  `INSERT INTO chat_messages_fts (chat_messages_fts) VALUES ('rebuild')`,
  'CREATE TABLE chat_name_keys (id INTEGER PRIMARY KEY AUTOINCREMENT, session_id varchar(36) NOT NULL UNIQUE)',
  `CREATE VIRTUAL TABLE chat_names_fts USING fts5(chat_name, ${TOKENIZER})`,
  `CREATE TRIGGER chat_names_fts_insert AFTER INSERT ON chat_sessions BEGIN
     INSERT INTO chat_name_keys (session_id) VALUES (new.session_id);
     INSERT INTO chat_names_fts (rowid, chat_name) VALUES ((SELECT id FROM chat_name_keys WHERE session_id = new.session_id), new.chat_name);
   END`,
  `CREATE TRIGGER chat_names_fts_delete AFTER DELETE ON chat_sessions BEGIN
     DELETE FROM chat_names_fts WHERE rowid = (SELECT id FROM chat_name_keys WHERE session_id = old.session_id);
     DELETE FROM chat_name_keys WHERE session_id = old.session_id;
   END`,
  `CREATE TRIGGER chat_names_fts_update AFTER UPDATE OF chat_name ON chat_sessions BEGIN
     UPDATE chat_names_fts SET chat_name = new.chat_name WHERE rowid = (SELECT id FROM chat_name_keys WHERE session_id = new.session_id);
   END`,
  'INSERT INTO chat_name_keys (session_id) SELECT session_id FROM chat_sessions',
  'INSERT INTO chat_names_fts (rowid, chat_name) SELECT k.id, s.chat_name FROM chat_name_keys k JOIN chat_sessions s ON s.session_id = k.session_id',
];

const SQLITE_DOWN = [
  'DROP TRIGGER chat_names_fts_update',
  'DROP TRIGGER chat_names_fts_delete',
  'DROP TRIGGER chat_names_fts_insert',
  'DROP TABLE chat_names_fts',
  'DROP TABLE chat_name_keys',
  'DROP TRIGGER chat_messages_fts_update',
  'DROP TRIGGER chat_messages_fts_delete',
  'DROP TRIGGER chat_messages_fts_insert',
  'DROP TABLE chat_messages_fts',
];

/** The words of `column` as the index holds them; the same expression must be used by the queries. */
export function postgresSearchVector(column: string): string {
  return `to_tsvector('simple'::regconfig, regexp_replace(${column}, '[!-/:-@[-\`{-~]+', ' ', 'g'))`;
}

const POSTGRES_UP = [
  // Adding a stored generated column rewrites the table, computing it for every existing row.
  `ALTER TABLE chat_messages ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (${postgresSearchVector('content')}) STORED`,
  'CREATE INDEX idx_chat_messages_search ON chat_messages USING GIN (search_vector)',
  `ALTER TABLE chat_sessions ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (${postgresSearchVector('chat_name')}) STORED`,
  'CREATE INDEX idx_chat_sessions_search ON chat_sessions USING GIN (search_vector)',
];

const POSTGRES_DOWN = [
  'DROP INDEX idx_chat_sessions_search',
  'ALTER TABLE chat_sessions DROP COLUMN search_vector',
  'DROP INDEX idx_chat_messages_search',
  'ALTER TABLE chat_messages DROP COLUMN search_vector',
];
