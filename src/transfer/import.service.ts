import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { Scope } from '../sessions/domain/session';
import { SessionStore } from '../sessions/domain/session-store';
import { allowedModels, applyChange, defaultSettings } from '../settings/domain/session-settings';
import { ImportedConversation } from './domain/archive';
import { ImportFormat, readImportFile } from './domain/import-file';

export interface ImportReport {
  format: ImportFormat;
  /** Stored (or, in a dry run, that would be). */
  imported: number;
  sessionIds: string[];
  skipped: { index: number; title: string; reason: string }[];
}

/** Failures of the store itself: when nothing could be stored for them, the import fails as a whole (503/507). */
const DEPENDENCY_CODES = new Set(['store_unavailable', 'storage_full']);

/**
 * Brings conversations in from an export file, each as a NEW session of the caller (never over an
 * existing one), each in its own transaction with its settings and organisation: one that fails
 * leaves nothing and the others go on.
 */
@Injectable()
export class ImportService {
  constructor(
    private readonly store: SessionStore,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async import(body: unknown, scope: Scope, dryRun: boolean): Promise<ImportReport> {
    const file = readImportFile(body, this.clock.now());
    const report: ImportReport = { format: file.format, imported: 0, sessionIds: [], skipped: [] };
    let dependencyFailure: unknown;
    for (const [index, entry] of file.entries.entries()) {
      if (!entry.ok) {
        report.skipped.push({ index, title: entry.title, reason: entry.reason });
        continue;
      }
      const conversation = this.fit(entry.conversation);
      const problem = this.problemWith(conversation);
      if (problem) {
        report.skipped.push({ index, title: conversation.title, reason: problem });
      } else if (dryRun) {
        report.imported += 1;
      } else {
        try {
          report.sessionIds.push(await this.storeOne(scope, conversation));
          report.imported += 1;
        } catch (error) {
          if (error instanceof DomainError && DEPENDENCY_CODES.has(error.code)) dependencyFailure ??= error;
          report.skipped.push({ index, title: conversation.title, reason: `not stored: ${error instanceof DomainError ? error.message : 'the store refused it'}` });
        }
      }
    }
    if (dependencyFailure && report.imported === 0) throw dependencyFailure;
    return report;
  }

  /** A model this service does not offer is dropped: the session then uses the default one. */
  private fit(conversation: ImportedConversation): ImportedConversation {
    const settings = conversation.settings;
    if (!settings?.model || allowedModels(this.config.llm).includes(settings.model)) return conversation;
    return { ...conversation, settings: { ...settings, model: null } };
  }

  private problemWith({ settings }: ImportedConversation): string | undefined {
    const prompt = settings?.systemPrompt;
    if (prompt && Array.from(prompt).length > this.config.maxPromptChars) return `its system prompt is longer than ${this.config.maxPromptChars} characters`;
    return undefined;
  }

  /** The session with its messages, settings and organisation: one write of the store, whole or not at all. */
  private async storeOne(scope: Scope, { title, createdAt, messages, settings, organisation }: ImportedConversation): Promise<string> {
    const sessionId = randomUUID();
    const defaults = defaultSettings(this.config.context.strategy);
    const setAt = this.clock.now();
    await this.store.importSession(scope, {
      sessionId,
      chatName: title,
      createdAt,
      messages,
      settings: settings && { ...applyChange(defaults, settings, defaults), setAt },
      organisation,
    });
    return sessionId;
  }
}
