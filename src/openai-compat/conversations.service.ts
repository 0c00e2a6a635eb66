import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { InvalidFieldError, ItemNotFoundError, PromptTooLongError, SessionDeletedError, SessionNotFoundError } from '../common/domain-error';
import { RunningTurns } from '../common/running-turns';
import { SessionLock } from '../common/session-lock';
import { AppConfig } from '../config/app-config';
import { ConversationMemory } from '../memory/domain/conversation-memory';
import { chatNameFrom, Scope, StoredMessage } from '../sessions/domain/session';
import { SessionStore } from '../sessions/domain/session-store';
import { defaultSettings, SessionSettingsStore } from '../settings/domain/session-settings';
import { checkedMetadata } from './domain/checked-metadata';
import { ConversationMetadataStore, Metadata } from './domain/conversation-metadata';
import { itemRefOf, sessionIdOf } from './domain/ids';
import { ReadItems, readItems } from './domain/input-items';
import { ConversationObject, ListObject, MessageItem, toConversation, toItem, toList } from './shapes';

/** The name of a conversation made without a message; its first turn names it (see ResponsesService). */
export const UNNAMED_CONVERSATION = 'New conversation';

export interface ItemPage {
  readonly after?: string;
  readonly limit: number;
  readonly order: 'asc' | 'desc';
}

/**
 * OpenAI's conversations over our sessions: a conversation is a session, its items its messages,
 * system and developer items its system prompt. Writes run under the session's lock and drop its
 * held window, so the next turn rebuilds it from what is stored.
 */
@Injectable()
export class ConversationsService {
  constructor(
    private readonly store: SessionStore,
    private readonly metadata: ConversationMetadataStore,
    private readonly settings: SessionSettingsStore,
    private readonly memory: ConversationMemory,
    private readonly lock: SessionLock,
    private readonly turns: RunningTurns,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async create(scope: Scope, metadata: unknown, items: unknown): Promise<ConversationObject> {
    const meta = checkedMetadata(metadata);
    const read = items === undefined || items === null ? { messages: [], instructions: [] } : this.checked(readItems(items, 'items'));
    const sessionId = randomUUID();
    const now = this.clock.now();
    const named = read.messages.find((m) => m.sender === 'Human' && m.content.trim() !== '');
    const chatName = named ? chatNameFrom(named.content) : UNNAMED_CONVERSATION;
    await this.store.importSession(scope, { sessionId, chatName, createdAt: now, messages: read.messages.map((m) => ({ ...m, timestamp: now })) });
    if (Object.keys(meta).length > 0) await this.metadata.replace(scope, sessionId, meta);
    await this.applyInstructions(sessionId, read);
    return toConversation(sessionId, now, meta);
  }

  async retrieve(scope: Scope, conversationId: string): Promise<ConversationObject> {
    const sessionId = this.sessionOf(conversationId);
    const [session, metadata] = await Promise.all([this.store.findSession(scope, sessionId), this.metadata.find(scope, sessionId)]);
    if (!session || !metadata) throw new SessionNotFoundError(conversationId);
    return toConversation(sessionId, session.createdAt, metadata);
  }

  async update(scope: Scope, conversationId: string, metadata: unknown): Promise<ConversationObject> {
    const meta: Metadata = checkedMetadata(metadata);
    if (!(await this.metadata.replace(scope, this.sessionOf(conversationId), meta))) throw new SessionNotFoundError(conversationId);
    return this.retrieve(scope, conversationId);
  }

  /** Deletes the session, its messages and its window; a turn in progress on it is stopped. */
  async delete(scope: Scope, conversationId: string): Promise<{ id: string; object: 'conversation.deleted'; deleted: true }> {
    const sessionId = this.sessionOf(conversationId);
    if (await this.store.findSession(scope, sessionId)) this.turns.cancel(sessionId, new SessionDeletedError(sessionId));
    await this.lock.run(sessionId, async () => {
      if (!(await this.store.deleteSession(scope, sessionId))) throw new SessionNotFoundError(conversationId);
      await this.memory.forget(sessionId);
    });
    return { id: conversationId, object: 'conversation.deleted', deleted: true };
  }

  async listItems(scope: Scope, conversationId: string, page: ItemPage): Promise<ListObject<MessageItem>> {
    const sessionId = await this.existing(scope, conversationId);
    const after = page.after === undefined ? undefined : await this.cursor(scope, sessionId, page.after);
    const { messages, hasMore } = await this.store.messagesFrom(scope, sessionId, { after, limit: page.limit, order: page.order });
    return toList(await this.itemsOf(scope, sessionId, messages), hasMore);
  }

  async addItems(scope: Scope, conversationId: string, items: unknown): Promise<ListObject<MessageItem>> {
    const read = this.checked(readItems(items, 'items'));
    const sessionId = await this.existing(scope, conversationId);
    const added = await this.lock.run(sessionId, async () => {
      const stored: StoredMessage[] = [];
      for (const { sender, content } of read.messages) {
        const message = await this.store.appendMessage(scope, sessionId, sender, content, this.clock.now());
        if (!message) throw new SessionNotFoundError(conversationId);
        stored.push(message);
      }
      await this.applyInstructions(sessionId, read);
      await this.memory.forget(sessionId);
      return stored;
    });
    return toList(await this.itemsOf(scope, sessionId, added), false);
  }

  async item(scope: Scope, conversationId: string, itemId: string): Promise<MessageItem> {
    const sessionId = await this.existing(scope, conversationId);
    const message = await this.resolve(scope, sessionId, itemId);
    if (!message) throw new ItemNotFoundError(itemId);
    return (await this.itemsOf(scope, sessionId, [message]))[0];
  }

  /** Deletes one item and answers the conversation, as OpenAI does. */
  async deleteItem(scope: Scope, conversationId: string, itemId: string): Promise<ConversationObject> {
    const sessionId = await this.existing(scope, conversationId);
    await this.lock.run(sessionId, async () => {
      const message = await this.resolve(scope, sessionId, itemId);
      if (!message || !(await this.store.deleteMessage(scope, sessionId, message.id))) throw new ItemNotFoundError(itemId);
      await this.memory.forget(sessionId);
    });
    return this.retrieve(scope, conversationId);
  }

  /** The message an item id names in this session; null when there is none. */
  private async resolve(scope: Scope, sessionId: string, itemId: string): Promise<StoredMessage | null> {
    const ref = itemRefOf(itemId);
    if (!ref) return null;
    const named = await this.store.findMessage(scope, ref.kind === 'message' ? ref.messageId : ref.humanMessageId);
    if (!named || named.sessionId !== sessionId) return null;
    if (ref.kind === 'message') return named;
    if (named.sender !== 'Human') return null;
    const [next] = (await this.store.messagesFrom(scope, sessionId, { after: named.id, limit: 1, order: 'asc' })).messages;
    return next?.sender === 'AI' ? next : null;
  }

  /** The message id a page starts after; an answer deleted meanwhile pages from its question, which came just before it. */
  private async cursor(scope: Scope, sessionId: string, itemId: string): Promise<number> {
    const ref = itemRefOf(itemId);
    if (!ref) throw new InvalidFieldError('after', `after must be an item id (msg_…), not ${JSON.stringify(itemId)}.`);
    if (ref.kind === 'message') return ref.messageId;
    return (await this.resolve(scope, sessionId, itemId))?.id ?? ref.humanMessageId;
  }

  /** The messages as items, in the order given, each named with the help of the message before it in the session. */
  private async itemsOf(scope: Scope, sessionId: string, messages: readonly StoredMessage[]): Promise<MessageItem[]> {
    if (messages.length === 0) return [];
    const ascending = [...messages].sort((a, b) => a.id - b.id);
    const [before] = (await this.store.messagesFrom(scope, sessionId, { after: ascending[0].id, limit: 1, order: 'desc' })).messages;
    const previous = new Map(ascending.map((m, i) => [m.id, i === 0 ? before : ascending[i - 1]]));
    return messages.map((m) => toItem(m, previous.get(m.id)));
  }

  /** The session of a conversation the scope sees; 404 otherwise. */
  async existing(scope: Scope, conversationId: string): Promise<string> {
    const sessionId = this.sessionOf(conversationId);
    if (!(await this.store.findSession(scope, sessionId))) throw new SessionNotFoundError(conversationId);
    return sessionId;
  }

  private sessionOf(conversationId: string): string {
    const sessionId = sessionIdOf(conversationId);
    if (!sessionId) throw new SessionNotFoundError(conversationId);
    return sessionId;
  }

  /** Items obey the limit prompts obey. */
  private checked(read: ReadItems): ReadItems {
    for (const text of [...read.messages.map((m) => m.content), ...read.instructions]) {
      const length = Array.from(text).length;
      if (length > this.config.maxPromptChars) throw new PromptTooLongError(length, this.config.maxPromptChars);
    }
    return read;
  }

  /** System and developer items become the session's system prompt, joined in their order. */
  private async applyInstructions(sessionId: string, read: ReadItems): Promise<void> {
    if (read.instructions.length === 0) return;
    const systemPrompt = read.instructions.join('\n\n');
    const changed = await this.settings.change(sessionId, { systemPrompt }, defaultSettings(this.config.context.strategy), this.clock.now());
    if (!changed) throw new SessionDeletedError(sessionId);
  }
}
