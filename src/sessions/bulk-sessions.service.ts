import { setImmediate as nextTick } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { InvalidInputError, SessionDeletedError } from '../common/domain-error';
import { RunningTurns } from '../common/running-turns';
import { ConversationMemory } from '../memory/domain/conversation-memory';
import { BulkAction, BulkActionKind, BulkFilter, SessionBulkStore, SessionRef } from './domain/bulk';
import { normalizeTag } from './domain/organise';
import { Scope } from './domain/session';

/** Sessions per transaction: a batch holds the store for milliseconds, and other requests run between batches. */
export const BULK_BATCH_SIZE = 500;
/** How many of the sessions an action takes are named in its reply. */
export const BULK_SAMPLE_SIZE = 20;

export interface BulkResult {
  readonly matched: number;
  readonly affected: number;
  readonly sample: SessionRef[];
}

/** A bulk request as the HTTP layer read it: shapes checked, meaning not yet. */
export interface BulkRequest {
  readonly filter: {
    readonly tag?: string;
    readonly archived?: boolean;
    readonly pinned?: boolean;
    readonly q?: string;
    readonly idleDays?: number;
    readonly createdBefore?: Date;
    readonly sessionIds?: readonly string[];
  };
  readonly action: BulkActionKind;
  readonly tag?: string;
  readonly dryRun: boolean;
  /** Required to act on every session (an empty filter), refused with a filter. */
  readonly matchAll: boolean;
}

const DAY_MS = 86_400_000;

/** Delete, archive, unarchive, tag or untag every session a filter matches, or (dry run) say what would change. */
@Injectable()
export class BulkSessionsService {
  constructor(
    private readonly store: SessionBulkStore,
    private readonly memory: ConversationMemory,
    private readonly turns: RunningTurns,
    private readonly clock: Clock,
  ) {}

  /** Checks the request's meaning (tags, an empty filter) and runs it. */
  async execute(scope: Scope, request: BulkRequest): Promise<BulkResult> {
    return this.run(scope, this.filterOf(request), actionOf(request), request.dryRun);
  }

  /**
   * `matched` and `sample` are read before anything changes; `affected` counts what the run
   * changed (on a dry run, what it would change): the same number unless other requests change
   * the same sessions meanwhile.
   */
  private async run(scope: Scope, filter: BulkFilter, action: BulkAction, dryRun: boolean): Promise<BulkResult> {
    const [counts, sample] = await Promise.all([this.store.count(scope, filter, action), this.store.sample(scope, filter, action, BULK_SAMPLE_SIZE)]);
    if (dryRun) return { ...counts, sample };
    return { matched: counts.matched, affected: await this.apply(scope, filter, action), sample };
  }

  private filterOf({ filter, matchAll }: BulkRequest): BulkFilter {
    const text = filter.q?.trim() || undefined;
    const criteria: BulkFilter = {
      tag: filter.tag === undefined ? undefined : normalizeTag(filter.tag),
      archived: filter.archived,
      pinned: filter.pinned,
      text,
      idleBefore: filter.idleDays === undefined ? undefined : new Date(this.clock.now().getTime() - filter.idleDays * DAY_MS),
      createdBefore: filter.createdBefore,
      sessionIds: filter.sessionIds && [...new Set(filter.sessionIds.map((id) => id.toLowerCase()))],
    };
    const empty = Object.values(criteria).every((value) => value === undefined);
    if (empty && !matchAll) throw new InvalidInputError('The filter is empty, so this would act on every session: send match_all: true to mean that.');
    if (!empty && matchAll) throw new InvalidInputError('match_all: true is for an empty filter only; leave it out to act on the sessions the filter matches.');
    return criteria;
  }

  private async apply(scope: Scope, filter: BulkFilter, action: BulkAction): Promise<number> {
    let affected = 0;
    let afterId: string | null = null;
    for (;;) {
      const ids = await this.store.applyBatch(scope, filter, action, afterId, BULK_BATCH_SIZE);
      if (ids.length === 0) return affected;
      if (action.kind === 'delete') await this.forget(ids);
      affected += ids.length;
      afterId = ids[ids.length - 1];
      // The batch's transaction is over: let waiting requests run before the next one.
      await nextTick();
    }
  }

  /** What the single delete does after its transaction: stop the sessions' turns and drop their windows. */
  private async forget(ids: readonly string[]): Promise<void> {
    for (const id of ids) this.turns.cancel(id, new SessionDeletedError(id));
    await Promise.all(ids.map((id) => this.memory.forget(id)));
  }
}

function actionOf({ action, tag }: BulkRequest): BulkAction {
  switch (action) {
    case 'tag':
    case 'untag':
      if (tag === undefined) throw new InvalidInputError(`The ${action} action needs a tag.`);
      return { kind: action, tag: normalizeTag(tag) };
    case 'delete':
    case 'archive':
    case 'unarchive':
      if (tag !== undefined) throw new InvalidInputError(`tag is for the tag and untag actions, not ${action}.`);
      return { kind: action };
  }
}
