import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { InvalidInputError, SessionNotFoundError, ShareNotFoundError } from '../common/domain-error';
import { Scope } from '../sessions/domain/session';
import { SessionStore } from '../sessions/domain/session-store';
import { SharedConversation, ShareStore } from './domain/shared-conversation';

/** 16 random bytes: 128 bits, base64url (22 characters). */
const SHARE_ID_BYTES = 16;

/** Read-only snapshots of conversations, served by an unguessable id, and copied back into new sessions. */
@Injectable()
export class SharingService {
  constructor(
    private readonly sessions: SessionStore,
    private readonly shares: ShareStore,
    private readonly clock: Clock,
  ) {}

  async share(scope: Scope, sessionId: string): Promise<SharedConversation> {
    const session = await this.sessions.findSession(scope, sessionId);
    if (!session) throw new SessionNotFoundError(sessionId);
    const { messages } = await this.sessions.messagePage(scope, sessionId, {});
    if (messages.length === 0) throw new InvalidInputError(`Session ${sessionId} has no messages to share.`);
    const snapshot: SharedConversation = {
      shareId: randomBytes(SHARE_ID_BYTES).toString('base64url'),
      chatName: session.chatName,
      createdAt: this.clock.now(),
      messages: messages.map(({ sender, content, timestamp }) => ({ sender, content, timestamp })),
    };
    await this.shares.create(sessionId, snapshot);
    return snapshot;
  }

  async get(shareId: string): Promise<SharedConversation> {
    const snapshot = await this.shares.find(shareId);
    if (!snapshot) throw new ShareNotFoundError(shareId);
    return snapshot;
  }

  async revoke(scope: Scope, sessionId: string, shareId: string): Promise<void> {
    if (!(await this.sessions.findSession(scope, sessionId))) throw new SessionNotFoundError(sessionId);
    if (!(await this.shares.delete(sessionId, shareId))) throw new ShareNotFoundError(shareId);
  }

  /** A new session of the caller's holding the snapshot's messages, to go on from; its id. */
  async continue(scope: Scope, shareId: string): Promise<string> {
    const { chatName, messages } = await this.get(shareId);
    const sessionId = randomUUID();
    // A snapshot is never empty, and starts with a Human message as every conversation does.
    const [first, ...rest] = messages;
    await this.sessions.startTurn(scope, sessionId, first.content, chatName, this.clock.now());
    for (const m of rest) await this.sessions.appendMessage(scope, sessionId, m.sender, m.content, this.clock.now());
    return sessionId;
  }
}
