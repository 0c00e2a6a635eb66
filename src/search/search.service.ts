import { Injectable } from '@nestjs/common';
import { InvalidInputError } from '../common/domain-error';
import { MAX_SEARCH_TERMS, parseSearchQuery, SearchTerm } from '../common/search-query';
import { Scope, Sender } from '../sessions/domain/session';
import { MessageSearch, SearchPage } from './domain/message-search';
import { snippetOf } from './snippet';

export interface SearchResult {
  readonly sessionId: string;
  readonly chatName: string;
  readonly messageId: number | null;
  readonly sender: Sender | null;
  readonly snippet: string;
  readonly timestamp: Date;
}

/** A prefix shorter than this would expand to a large part of the index. */
const MIN_PREFIX = 2;

@Injectable()
export class SearchService {
  constructor(private readonly index: MessageSearch) {}

  /** The caller's messages and chat names that hold every term of `q`, best first, with the count of all. */
  async search(scope: Scope, q: string, page: SearchPage): Promise<{ results: SearchResult[]; total: number }> {
    const terms = termsOf(q);
    const { hits, total } = await this.index.search(scope, terms, page);
    const results = hits.map(({ text, ...hit }) => ({ ...hit, snippet: snippetOf(text, terms) }));
    return { results, total };
  }
}

function termsOf(q: string): SearchTerm[] {
  const terms = parseSearchQuery(q);
  if (terms.length === 0) throw new InvalidInputError('q holds no word to search for: give at least one letter or digit.');
  if (terms.length > MAX_SEARCH_TERMS) throw new InvalidInputError(`q holds ${terms.length} words or phrases; at most ${MAX_SEARCH_TERMS} are searched at once.`);
  const short = terms.find((t) => t.prefix && (t.kind === 'word' ? t.word : t.words[t.words.length - 1]).length < MIN_PREFIX);
  if (short) throw new InvalidInputError(`A prefix (word*) needs at least ${MIN_PREFIX} letters or digits before the *.`);
  return terms;
}
