import { SearchTerm } from '../common/search-query';
import { SqlFragment } from './ownership';
import { Sql } from './sql';

/**
 * The full-text index (migration 1765300000000) as SQL, per dialect. Each query string is built
 * from parsed terms whose words hold only letters and digits, and is passed as a bound parameter.
 */
export interface FullTextSql {
  /** The index of messages as FROM items; `hitId` is the id of a matching message. */
  readonly messageIndex: string;
  readonly hitId: string;
  /** Joins that make the matching message available as `m` (none where the index is the table). */
  readonly toMessages: string;
  /** A condition on the index, true when the message matches. */
  messagesMatch(terms: readonly SearchTerm[]): SqlFragment;
  /** How well a message matches (lower is better); valid only beside `messagesMatch`. */
  messageScore(terms: readonly SearchTerm[]): SqlFragment;
  /** FROM items giving chat_sessions as `s`, searchable by name. */
  readonly namesFrom: string;
  namesMatch(terms: readonly SearchTerm[]): SqlFragment;
  nameScore(terms: readonly SearchTerm[]): SqlFragment;
}

/** An FTS5 query: each word a quoted string, `*` after a prefix, terms side by side (AND). */
export function fts5Query(terms: readonly SearchTerm[]): string {
  const star = (prefix: boolean) => (prefix ? ' *' : '');
  return terms.map((t) => (t.kind === 'word' ? `"${t.word}"${star(t.prefix)}` : `"${t.words.join(' ')}"${star(t.prefix)}`)).join(' ');
}

/** A to_tsquery text: quoted lexemes, `:*` for a prefix, `<->` within a phrase, `&` between terms. */
export function tsQuery(terms: readonly SearchTerm[]): string {
  const lexeme = (word: string, prefix: boolean) => `'${word}'${prefix ? ':*' : ''}`;
  return terms
    .map((t) => (t.kind === 'word' ? lexeme(t.word, t.prefix) : `(${t.words.map((w, i) => lexeme(w, t.prefix && i === t.words.length - 1)).join(' <-> ')})`))
    .join(' & ');
}

const SQLITE: FullTextSql = {
  messageIndex: 'chat_messages_fts f',
  hitId: 'f.rowid',
  toMessages: 'JOIN chat_messages m ON m.id = f.rowid',
  messagesMatch: (terms) => ({ sql: 'chat_messages_fts MATCH ?', params: [fts5Query(terms)] }),
  messageScore: () => ({ sql: 'f.rank', params: [] }),
  namesFrom: 'chat_names_fts n JOIN chat_name_keys k ON k.id = n.rowid JOIN chat_sessions s ON s.session_id = k.session_id',
  namesMatch: (terms) => ({ sql: 'chat_names_fts MATCH ?', params: [fts5Query(terms)] }),
  nameScore: () => ({ sql: 'n.rank', params: [] }),
};

const TS_QUERY = "to_tsquery('simple', ?)";

const POSTGRES: FullTextSql = {
  messageIndex: 'chat_messages m',
  hitId: 'm.id',
  toMessages: '',
  messagesMatch: (terms) => ({ sql: `m.search_vector @@ ${TS_QUERY}`, params: [tsQuery(terms)] }),
  messageScore: (terms) => ({ sql: `-ts_rank(m.search_vector, ${TS_QUERY})`, params: [tsQuery(terms)] }),
  namesFrom: 'chat_sessions s',
  namesMatch: (terms) => ({ sql: `s.search_vector @@ ${TS_QUERY}`, params: [tsQuery(terms)] }),
  nameScore: (terms) => ({ sql: `-ts_rank(s.search_vector, ${TS_QUERY})`, params: [tsQuery(terms)] }),
};

export function fullTextSql(dialect: Sql['dialect']): FullTextSql {
  return dialect === 'postgres' ? POSTGRES : SQLITE;
}
