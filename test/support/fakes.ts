import { MessageScore, UnscoredMessage, UsageUpkeepStore } from '../../src/analytics/domain/usage-upkeep-store';
import { ChatModel, ModelRequest } from '../../src/chat/domain/chat-model';
import { ConversationMemory, HeldPage, HeldSettings, HeldWindow, MAX_WINDOW_TURNS, Turn } from '../../src/memory/domain/conversation-memory';
import { TokenCounter } from '../../src/memory/domain/token-counter';
import { applyChange, SessionSettings, SessionSettingsStore, SettingsChange } from '../../src/settings/domain/session-settings';
import { SessionSummary, SessionSummaryStore } from '../../src/settings/domain/session-summary';
import { Template, TemplateDraft, TemplateStore } from '../../src/settings/domain/template';
import { ModelUsage, Scope, Sender, Session, StoredMessage } from '../../src/sessions/domain/session';
import { ListedSession } from '../../src/sessions/domain/organise';
import { MessageCursorQuery, MessagePage, MessagePageQuery, SessionImport, SessionListQuery, SessionStore, StartedTurn } from '../../src/sessions/domain/session-store';

/** A Map-backed SessionStore with the same rules as the real one, for unit specs. */
export class InMemorySessionStore extends SessionStore {
  readonly sessions = new Map<string, Session>();
  readonly messages: StoredMessage[] = [];
  /** What the turns reported for the usage series, in order. */
  readonly usage: { at: Date; usage: ModelUsage | 'failed' }[] = [];
  private nextId = 1;

  async startTurn(scope: Scope, sessionId: string, content: string, chatName: string, at: Date): Promise<StartedTurn> {
    const existing = this.sessions.get(sessionId);
    this.sessions.set(sessionId, existing ?? { sessionId, chatName, createdAt: at, lastActivity: at, messageCount: 0 });
    const message = (await this.appendMessage(scope, sessionId, 'Human', content, at))!;
    return { session: this.sessions.get(sessionId)!, message };
  }

  async appendMessage(_scope: Scope, sessionId: string, sender: Sender, content: string, at: Date, usage?: ModelUsage): Promise<StoredMessage | null> {
    const session = this.sessions.get(sessionId);
    if (!session) return null;
    if (usage) this.usage.push({ at, usage });
    const message = { id: this.nextId++, sessionId, sender, content, timestamp: at };
    this.messages.push(message);
    this.sessions.set(sessionId, { ...session, lastActivity: at, messageCount: session.messageCount + 1 });
    return message;
  }

  async recordModelFailure(at: Date): Promise<void> {
    this.usage.push({ at, usage: 'failed' });
  }

  async findSession(_scope: Scope, sessionId: string): Promise<Session | null> {
    return this.sessions.get(sessionId) ?? null;
  }

  async importSession(scope: Scope, { sessionId, chatName, createdAt, messages }: SessionImport): Promise<Session> {
    if (this.sessions.has(sessionId)) throw new Error(`Session ${sessionId} exists.`);
    this.sessions.set(sessionId, { sessionId, chatName, createdAt, lastActivity: createdAt, messageCount: 0 });
    for (const m of messages) await this.appendMessage(scope, sessionId, m.sender, m.content, m.timestamp);
    return this.sessions.get(sessionId)!;
  }

  /** Organises nothing: every session is unpinned, unarchived and untagged. */
  async sessionsAfter(_scope: Scope, afterId: string | null, limit: number): Promise<ListedSession[]> {
    const ids = [...this.sessions.keys()].sort().filter((id) => afterId === null || id > afterId);
    return ids.slice(0, limit).map((id) => ({ ...this.sessions.get(id)!, pinned: false, archived: false, tags: [] }));
  }

  async recentMessages(_scope: Scope, sessionId: string, count: number): Promise<StoredMessage[]> {
    return this.of(sessionId).slice(-count);
  }

  async messagePage(_scope: Scope, sessionId: string, { limit, beforeId }: MessagePageQuery): Promise<MessagePage> {
    const older = this.of(sessionId).filter((m) => beforeId === undefined || m.id < beforeId);
    if (limit === undefined) return { messages: older, hasMore: false };
    return { messages: older.slice(-limit), hasMore: older.length > limit };
  }

  async messagesFrom(_scope: Scope, sessionId: string, { after, limit, order }: MessageCursorQuery): Promise<MessagePage> {
    const ordered = order === 'asc' ? this.of(sessionId) : this.of(sessionId).reverse();
    const rest = after === undefined ? ordered : ordered.filter((m) => (order === 'asc' ? m.id > after : m.id < after));
    return { messages: rest.slice(0, limit), hasMore: rest.length > limit };
  }

  async findMessage(_scope: Scope, messageId: number): Promise<StoredMessage | null> {
    return this.messages.find((m) => m.id === messageId) ?? null;
  }

  async deleteMessage(_scope: Scope, sessionId: string, messageId: number): Promise<boolean> {
    const index = this.messages.findIndex((m) => m.id === messageId && m.sessionId === sessionId);
    if (index < 0) return false;
    this.messages.splice(index, 1);
    const session = this.sessions.get(sessionId)!;
    this.sessions.set(sessionId, { ...session, messageCount: session.messageCount - 1 });
    return true;
  }

  async clearMessages(_scope: Scope, sessionId: string): Promise<number | null> {
    const session = this.sessions.get(sessionId);
    if (!session) return null;
    const before = this.messages.length;
    this.remove(sessionId);
    this.sessions.set(sessionId, { ...session, messageCount: 0 });
    return before - this.messages.length;
  }

  async deleteSession(_scope: Scope, sessionId: string): Promise<boolean> {
    this.remove(sessionId);
    return this.sessions.delete(sessionId);
  }

  /** Organises nothing: every session is unpinned, unarchived and untagged. */
  async listSessions(_scope: Scope, { limit, offset }: SessionListQuery): Promise<{ sessions: ListedSession[]; total: number }> {
    const all = [...this.sessions.values()]
      .sort((a, b) => b.lastActivity.getTime() - a.lastActivity.getTime())
      .map((s) => ({ ...s, pinned: false, archived: false, tags: [] }));
    return { sessions: all.slice(offset, limit === undefined ? undefined : offset + limit), total: all.length };
  }

  async countIdleSince(_scope: Scope, cutoff: Date): Promise<number> {
    return [...this.sessions.values()].filter((s) => s.lastActivity < cutoff).length;
  }

  async adoptUnowned(_ownerId: string): Promise<number> {
    return 0;
  }

  async pruneIdleSince(scope: Scope, cutoff: Date, batchSize: number): Promise<string[]> {
    const ids = [...this.sessions.values()].filter((s) => s.lastActivity < cutoff).slice(0, batchSize).map((s) => s.sessionId);
    for (const id of ids) await this.deleteSession(scope, id);
    return ids;
  }

  private of(sessionId: string): StoredMessage[] {
    return this.messages.filter((m) => m.sessionId === sessionId);
  }

  private remove(sessionId: string): void {
    for (let i = this.messages.length - 1; i >= 0; i--) if (this.messages[i].sessionId === sessionId) this.messages.splice(i, 1);
  }
}

/** Windows in a Map: the last MAX_WINDOW_TURNS turns per session. */
export class InMemoryConversationMemory extends ConversationMemory {
  readonly windows = new Map<string, Turn[]>();

  async recentTurns(sessionId: string, k: number): Promise<Turn[] | undefined> {
    return this.windows.get(sessionId)?.slice(-k);
  }

  readonly settings = new Map<string, HeldSettings>();

  async hold(sessionId: string, turns: readonly Turn[], settings?: HeldSettings): Promise<void> {
    this.windows.set(sessionId, turns.slice(-MAX_WINDOW_TURNS));
    if (settings) this.settings.set(sessionId, settings);
  }

  async append(sessionId: string, turn: Turn, settings?: HeldSettings): Promise<void> {
    const held = this.windows.get(sessionId);
    await this.hold(sessionId, [...(held ?? []), turn], held ? settings : undefined);
  }

  async heldWindow(sessionId: string): Promise<HeldWindow | undefined> {
    const turns = this.windows.get(sessionId);
    return turns && { settings: this.settings.get(sessionId), recentTurns: (k) => turns.slice(-k) };
  }

  async forget(sessionId: string): Promise<void> {
    this.windows.delete(sessionId);
    this.settings.delete(sessionId);
  }

  async activeSessionIds({ offset = 0, limit }: HeldPage = {}): Promise<string[]> {
    return [...this.windows.keys()].slice(offset, limit === undefined ? undefined : offset + limit);
  }

  async activeSessionCount(): Promise<number> {
    return this.windows.size;
  }

  readonly evictions: Date[] = [];

  async evictIdleSince(cutoff: Date): Promise<number> {
    this.evictions.push(cutoff);
    return 0;
  }

  async probe(): Promise<{ store: string }> {
    return { store: 'fake' };
  }
}

/** A scripted stream: the pieces a model would send, as slowly or as endlessly as the test likes. */
export interface StreamStep {
  readonly stream: (request: ModelRequest) => AsyncIterable<string>;
}

type Step = string | Error | StreamStep | ((request: ModelRequest) => Promise<string> | string);

/** A model that answers from a script and records every request it gets. */
export class ScriptedChatModel extends ChatModel {
  readonly name = 'scripted';
  readonly requests: ModelRequest[] = [];
  private readonly steps: Step[] = [];

  answer(...steps: Step[]): this {
    this.steps.push(...steps);
    return this;
  }

  async complete(request: ModelRequest): Promise<string> {
    const step = this.take(request);
    if (step instanceof Error) throw step;
    if (isStreamStep(step)) {
      let reply = '';
      for await (const piece of step.stream(request)) reply += piece;
      return reply;
    }
    return typeof step === 'function' ? step(request) : step;
  }

  async *stream(request: ModelRequest): AsyncIterable<string> {
    const step = this.steps[0];
    if (isStreamStep(step)) {
      this.take(request);
      yield* step.stream(request);
      return;
    }
    const reply = await this.complete(request);
    for (const word of reply.split(/(?<= )/)) yield word;
  }

  private take(request: ModelRequest): Step {
    this.requests.push(request);
    return this.steps.shift() ?? 'ok';
  }
}

function isStreamStep(step: Step | undefined): step is StreamStep {
  return typeof step === 'object' && !(step instanceof Error);
}

/** A promise that never settles: a model that has gone silent. */
export const silence = <T>() => new Promise<T>(() => undefined);

/** A Map-backed SessionSettingsStore. */
export class InMemorySettingsStore extends SessionSettingsStore {
  readonly rows = new Map<string, SessionSettings>();

  async find(sessionId: string): Promise<SessionSettings | null> {
    return this.rows.get(sessionId) ?? null;
  }

  async findMany(sessionIds: readonly string[]): Promise<Map<string, SessionSettings>> {
    return new Map(sessionIds.flatMap((id) => (this.rows.has(id) ? [[id, this.rows.get(id)!] as const] : [])));
  }

  async change(sessionId: string, change: SettingsChange, defaults: SessionSettings): Promise<SessionSettings> {
    const next = applyChange(this.rows.get(sessionId) ?? defaults, change, defaults);
    this.rows.set(sessionId, next);
    return next;
  }
}

/** Templates in a Map, every one visible to every scope (the SQL store's ownership has its medium spec). */
export class InMemoryTemplateStore extends TemplateStore {
  readonly rows = new Map<string, Template>();

  async list(): Promise<Template[]> {
    return [...this.rows.values()];
  }

  async find(_scope: Scope, id: string): Promise<Template | null> {
    return this.rows.get(id) ?? null;
  }

  async create(_ownerId: string | null, id: string, draft: TemplateDraft): Promise<Template> {
    const template = { id, ...draft, builtin: false };
    this.rows.set(id, template);
    return template;
  }

  async update(_scope: Scope, id: string, draft: TemplateDraft): Promise<Template | null> {
    return this.rows.has(id) ? this.create(null, id, draft) : null;
  }

  async delete(_scope: Scope, id: string): Promise<boolean> {
    return this.rows.delete(id);
  }

  async adoptUnowned(): Promise<number> {
    return 0;
  }
}

/** One token per whitespace-separated word: easy to reason about in specs. */
export class WordTokenCounter extends TokenCounter {
  count(text: string): number {
    return text.split(/\s+/).filter(Boolean).length;
  }
}

/** A Map-backed SessionSummaryStore with the real one's checks (the covered message is looked up in `sessions`). */
export class InMemorySummaryStore extends SessionSummaryStore {
  readonly rows = new Map<string, SessionSummary>();

  constructor(private readonly sessions?: InMemorySessionStore) {
    super();
  }

  async find(sessionId: string): Promise<SessionSummary | null> {
    return this.rows.get(sessionId) ?? null;
  }

  async save(sessionId: string, summary: SessionSummary, foldedFrom: number | null): Promise<boolean> {
    const covered = this.sessions?.messages.some((m) => m.sessionId === sessionId && m.id === summary.coversUntil) ?? true;
    if (!covered || (this.rows.get(sessionId)?.coversUntil ?? null) !== foldedFrom) return false;
    this.rows.set(sessionId, summary);
    return true;
  }
}

/** Active-user marks and messages in arrays, with the real store's rules; records each call's limit. */
export class InMemoryUsageUpkeepStore extends UsageUpkeepStore {
  /** Periods as [span in hours, first hour since the epoch]. */
  marks: [number, number][] = [];
  readonly messages: { id: number; sender: Sender; content: string; sentiment: number | null }[] = [];
  readonly calls: string[] = [];

  async pruneActiveUserMarks(endedBy: Date, limit: number): Promise<number> {
    this.calls.push(`prune ${endedBy.toISOString()} ${limit}`);
    const hour = Math.floor(endedBy.getTime() / 3_600_000);
    const spent = this.marks.filter(([span, start]) => start + span <= hour).slice(0, limit);
    this.marks = this.marks.filter((mark) => !spent.includes(mark));
    return spent.length;
  }

  async unscoredMessages(limit: number): Promise<UnscoredMessage[]> {
    this.calls.push(`unscored ${limit}`);
    return this.messages.filter((m) => m.sender === 'Human' && m.sentiment === null).slice(0, limit).map(({ id, content }) => ({ id, content }));
  }

  async storeScores(scores: readonly MessageScore[]): Promise<number> {
    this.calls.push(`store ${scores.map((s) => s.id).join(',')}`);
    let stored = 0;
    for (const { id, score } of scores) {
      const message = this.messages.find((m) => m.id === id && m.sentiment === null);
      if (message) [message.sentiment, stored] = [score, stored + 1];
    }
    return stored;
  }
}
