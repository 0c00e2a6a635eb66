import { Scope } from './session';

/** Which sessions a bulk action takes; every criterion absent means "any". */
export interface BulkFilter {
  /** Normalized. */
  readonly tag?: string;
  /** `true`: only archived sessions, `false`: only the others, absent: both. */
  readonly archived?: boolean;
  readonly pinned?: boolean;
  /** Matched as `q` on the listing: chat names by substring, messages through the full-text index. */
  readonly text?: string;
  /** Exclusive: sessions last active before it. */
  readonly idleBefore?: Date;
  /** Exclusive: sessions created before it. */
  readonly createdBefore?: Date;
  /** Only these sessions (lower-case ids): what a person selected in a list. */
  readonly sessionIds?: readonly string[];
}

export type BulkAction =
  | { readonly kind: 'delete' }
  | { readonly kind: 'archive' }
  | { readonly kind: 'unarchive' }
  | { readonly kind: 'tag'; readonly tag: string }
  | { readonly kind: 'untag'; readonly tag: string };

export type BulkActionKind = BulkAction['kind'];

export interface SessionRef {
  readonly sessionId: string;
  readonly chatName: string;
}

/**
 * A bulk action is split into batches: each batch is one transaction on at most `batchSize`
 * sessions, so other requests get the store between batches.
 *
 * "Matched" sessions pass the filter; "affected" ones are those the action changes (an archive
 * leaves archived sessions alone; a tag leaves those that have it, or already have MAX_TAGS).
 */
export abstract class SessionBulkStore {
  abstract count(scope: Scope, filter: BulkFilter, action: BulkAction): Promise<{ matched: number; affected: number }>;

  /** The first `limit` sessions the action would change, in listing order (pinned, then most recent). */
  abstract sample(scope: Scope, filter: BulkFilter, action: BulkAction, limit: number): Promise<SessionRef[]>;

  /**
   * Applies the action, in one transaction, to the next at most `batchSize` affected sessions
   * whose id sorts after `afterId` (from the first when null); returns their ids, in id order.
   * A batch may be cut short (a delete bounds the messages it removes at once): only an empty
   * result means the walk is done.
   */
  abstract applyBatch(scope: Scope, filter: BulkFilter, action: BulkAction, afterId: string | null, batchSize: number): Promise<string[]>;
}
