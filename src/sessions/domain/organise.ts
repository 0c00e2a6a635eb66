import { InvalidInputError } from '../../common/domain-error';
import { Scope, Session } from './session';

/** How a person keeps a long list of chats in order (issue 13). */
export interface Organisation {
  readonly pinned: boolean;
  readonly archived: boolean;
  /** Normalized (see `normalizeTags`), sorted. */
  readonly tags: string[];
}

export type ListedSession = Session & Organisation;

/** A session with its organisation and the version every organising change bumps (its ETag). */
export interface OrganisedSession extends ListedSession {
  readonly version: number;
}

/** Absent fields stay as they are; `tags` replaces the whole set. */
export interface OrganiseChange {
  readonly chatName?: string;
  readonly pinned?: boolean;
  readonly archived?: boolean;
  readonly tags?: string[];
}

/** A version an If-Match names: the counter, and the creation time that tells a recreated session (same id) apart. */
export interface VersionTag {
  readonly version: number;
  readonly createdAt: Date;
}

export type OrganiseResult = { readonly kind: 'changed'; readonly session: OrganisedSession } | { readonly kind: 'missing' } | { readonly kind: 'stale' };

/** The organising fields of sessions, each change atomic (fields, tags and version together). */
export abstract class SessionOrganiser {
  abstract find(scope: Scope, sessionId: string): Promise<OrganisedSession | null>;

  /** Applies the change when `expected` is null (no precondition) or names the current version; else 'stale'. */
  abstract change(scope: Scope, sessionId: string, change: OrganiseChange, expected: readonly VersionTag[] | null): Promise<OrganiseResult>;
}

export const MAX_TAGS = 20;
export const MAX_TAG_LENGTH = 32;
export const MAX_CHAT_NAME_LENGTH = 200;

/** Letters, digits and marks in any script, with `-`, `_`, `.` and single spaces between them: safe in URLs, lists and chips. */
const TAG_PATTERN = /^[\p{L}\p{M}\p{N}]+(?:[-_. ][\p{L}\p{M}\p{N}]+)*$/u;

/** One tag as it is stored and matched: NFC, trimmed, inner spaces collapsed, lower case. Throws on a tag that cannot be one. */
export function normalizeTag(raw: string): string {
  const tag = raw.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
  if (tag === '') throw new InvalidInputError('A tag must not be blank.');
  if (Array.from(tag).length > MAX_TAG_LENGTH) throw new InvalidInputError(`A tag has at most ${MAX_TAG_LENGTH} characters (got "${tag}").`);
  if (!TAG_PATTERN.test(tag)) {
    throw new InvalidInputError(`A tag holds letters, digits, and "-", "_", "." or single spaces between them (got "${tag}").`);
  }
  return tag;
}

/** The set a session keeps: normalized, duplicates merged, sorted, at most MAX_TAGS. */
export function normalizeTags(raw: readonly string[]): string[] {
  const tags = [...new Set(raw.map(normalizeTag))].sort();
  if (tags.length > MAX_TAGS) throw new InvalidInputError(`A session has at most ${MAX_TAGS} tags (got ${tags.length}).`);
  return tags;
}

/** A new name: trimmed, not blank, at most MAX_CHAT_NAME_LENGTH code points. */
export function normalizeChatName(raw: string): string {
  const name = raw.trim();
  if (name === '') throw new InvalidInputError('chat_name must not be blank.');
  if (Array.from(name).length > MAX_CHAT_NAME_LENGTH) throw new InvalidInputError(`chat_name has at most ${MAX_CHAT_NAME_LENGTH} characters.`);
  return name;
}

/** The ETag of a version: strong, opaque to clients. */
export function etagOf(session: Pick<OrganisedSession, 'version' | 'createdAt'>): string {
  return `"${session.version}.${session.createdAt.getTime().toString(36)}"`;
}

/**
 * The versions an If-Match header names: null for none or `*` (the change applies unconditionally,
 * `*` still needing the session to exist); tags that are not ours (or weak) name no version at all.
 */
export function parseIfMatch(header: string | undefined): VersionTag[] | null {
  if (header === undefined || header.trim() === '*') return null;
  const tags: VersionTag[] = [];
  for (const part of header.split(',')) {
    const m = /^"(\d{1,15})\.([0-9a-z]{1,12})"$/.exec(part.trim());
    if (m) tags.push({ version: Number(m[1]), createdAt: new Date(parseInt(m[2], 36)) });
  }
  return tags;
}
