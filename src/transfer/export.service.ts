import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { SessionNotFoundError } from '../common/domain-error';
import { ListedSession, SessionOrganiser } from '../sessions/domain/organise';
import { Scope } from '../sessions/domain/session';
import { SessionStore } from '../sessions/domain/session-store';
import { SessionSettingsStore } from '../settings/domain/session-settings';
import { ARCHIVE_END, ARCHIVE_FORMAT, archiveJson, archiveStart, ArchivedSession } from './domain/archive';

/** Sessions read per step of a full export: memory holds one page of them (and their messages) at a time. */
export const EXPORT_PAGE_SIZE = 50;

/** Takes conversations out: one, or all of the caller's as one streamed document. */
@Injectable()
export class ExportService {
  constructor(
    private readonly store: SessionStore,
    private readonly settings: SessionSettingsStore,
    private readonly organiser: SessionOrganiser,
    private readonly clock: Clock,
  ) {}

  async one(scope: Scope, sessionId: string): Promise<ArchivedSession> {
    const session = await this.organiser.find(scope, sessionId);
    if (!session) throw new SessionNotFoundError(sessionId);
    const [archived] = await this.archived(scope, [session]);
    return archived;
  }

  /**
   * Every session of the scope as one `chat-sessions/1` document, in pieces: a page of sessions is
   * read only when the consumer asks for more, so a slow reader holds back the reading too.
   */
  async *all(scope: Scope): AsyncGenerator<string> {
    yield archiveStart(this.clock.now());
    let after: string | null = null;
    let first = true;
    for (;;) {
      const page = await this.store.sessionsAfter(scope, after, EXPORT_PAGE_SIZE);
      if (page.length === 0) break;
      const archived = await this.archived(scope, page);
      yield (first ? '' : ',') + archived.map((one) => JSON.stringify(archiveJson(one))).join(',');
      first = false;
      after = page[page.length - 1].sessionId;
    }
    yield ARCHIVE_END;
  }

  /** A one-session document, for the download of one chat. */
  document(archived: ArchivedSession): string {
    const document = { format: ARCHIVE_FORMAT, exported_at: this.clock.now().toISOString(), sessions: [archiveJson(archived)] };
    return `${JSON.stringify(document, null, 2)}\n`;
  }

  /**
   * Sessions, read with their organisation, completed with their settings (one read for them all)
   * and their messages (one read each, one session at a time: a page takes one connection).
   */
  private async archived(scope: Scope, sessions: readonly ListedSession[]): Promise<ArchivedSession[]> {
    const settings = await this.settings.findMany(sessions.map((s) => s.sessionId));
    const result: ArchivedSession[] = [];
    for (const session of sessions) {
      const { messages } = await this.store.messagePage(scope, session.sessionId, {});
      const { pinned, archived, tags } = session;
      result.push({ session, settings: settings.get(session.sessionId) ?? null, organisation: { pinned, archived, tags }, messages });
    }
    return result;
  }
}
