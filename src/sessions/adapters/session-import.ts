import { toDbTime } from '../../database/db-time';
import { SqlRunner } from '../../database/sql';
import { SentimentScorer } from '../../sentiment/domain/sentiment-scorer';
import { Scope, Session } from '../domain/session';
import { ImportedSettings, SessionImport } from '../domain/session-store';
import { ActivityCounters } from './activity-counters';
import { SESSION_COLUMNS } from './rows';
import { insertTags } from './session-tags';
import { insertMessage } from './turn-writes';
import { UsageCounters } from './usage-counters';

/**
 * Writes a whole imported session inside the caller's transaction: its row (pinned and archived
 * included), messages, settings, tags, then the counters. Everything the session owns goes in the
 * one transaction, so a failure anywhere leaves nothing of it (no later undo to miss on a crash).
 */
export async function writeImport(tx: SqlRunner, scorer: SentimentScorer, scope: Scope, session: SessionImport, shard: number): Promise<Session> {
  const { sessionId, chatName, createdAt, messages, settings, organisation } = session;
  const lastActivity = messages.length > 0 ? messages[messages.length - 1].timestamp : createdAt;
  await tx.run(`INSERT INTO chat_sessions (${SESSION_COLUMNS}, owner_id, pinned, archived) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, [
    sessionId,
    chatName,
    toDbTime(createdAt),
    toDbTime(lastActivity),
    messages.length,
    scope.ownerId,
    Number(organisation?.pinned ?? false),
    Number(organisation?.archived ?? false),
  ]);
  // The statistics count the messages in the hours they were written, not the hour of the import;
  // the usage series count its human messages as turns of their hours (no model calls: none are known).
  const counters = new ActivityCounters().sessionCreated(createdAt);
  const usage = new UsageCounters().sessionCreated(createdAt).activityMoved(null, lastActivity);
  for (const m of messages) {
    const sentiment = m.sender === 'Human' ? scorer.score(m.content) : null;
    await insertMessage(tx, sessionId, m.sender, m.content, m.timestamp, sentiment);
    counters.messageWritten(m.timestamp);
    if (sentiment !== null) usage.turnStarted(m.timestamp, scope.ownerId, sentiment);
  }
  if (settings) await insertSettings(tx, sessionId, settings);
  if (organisation) await insertTags(tx, sessionId, organisation.tags);
  await counters.apply(tx, shard);
  await usage.apply(tx, shard);
  return { sessionId, chatName, createdAt, lastActivity, messageCount: messages.length };
}

/** The settings row of a new session (the settings module reads it; see SqlSessionSettingsStore). */
async function insertSettings(tx: SqlRunner, sessionId: string, { systemPrompt, model, temperature, memory, setAt }: ImportedSettings): Promise<void> {
  await tx.run(
    `INSERT INTO session_settings (session_id, system_prompt, model, temperature, memory_strategy, max_history, max_tokens, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    [sessionId, systemPrompt, model, temperature, memory.strategy, memory.maxHistory, memory.maxTokens, toDbTime(setAt)],
  );
}
