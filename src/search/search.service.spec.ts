import { InvalidInputError } from '../common/domain-error';
import { SearchTerm } from '../common/search-query';
import { EVERYONE, ownedBy, Scope } from '../sessions/domain/session';
import { MessageSearch, SearchHit, SearchPage } from './domain/message-search';
import { SearchService } from './search.service';

/** Answers with fixed hits and remembers what it was asked. */
class ScriptedSearch extends MessageSearch {
  readonly asked: { scope: Scope; terms: readonly SearchTerm[]; page: SearchPage }[] = [];
  constructor(private readonly hits: SearchHit[]) {
    super();
  }
  async search(scope: Scope, terms: readonly SearchTerm[], page: SearchPage) {
    this.asked.push({ scope, terms, page });
    return { hits: this.hits, total: 42 };
  }
}

const hit: SearchHit = { sessionId: 's', chatName: 'Chat', messageId: 7, sender: 'AI', text: 'Bake the pie.', timestamp: new Date(0) };

describe(SearchService.name, () => {
  it('should pass the parsed terms, the scope and the page to the index, and snippet each hit', async () => {
    const index = new ScriptedSearch([hit]);
    const result = await new SearchService(index).search(ownedBy('u1'), 'PIE', { limit: 5, offset: 10 });
    expect(index.asked).toEqual([{ scope: { ownerId: 'u1' }, terms: [{ kind: 'word', word: 'pie', prefix: false }], page: { limit: 5, offset: 10 } }]);
    expect(result).toEqual({ total: 42, results: [{ sessionId: 's', chatName: 'Chat', messageId: 7, sender: 'AI', timestamp: new Date(0), snippet: 'Bake the \u0002pie\u0003.' }] });
  });

  it.each([
    ['no word', '"(((*'],
    ['more than 16 terms', Array.from({ length: 17 }, (_, i) => `w${i}`).join(' ')],
    ['a one-letter prefix', 'p*'],
    ['a one-letter prefix at the end of a phrase', '"apple p"*'],
  ])('should refuse %s before asking the index', async (_name, q) => {
    const index = new ScriptedSearch([]);
    await expect(new SearchService(index).search(EVERYONE, q, { limit: 20, offset: 0 })).rejects.toBeInstanceOf(InvalidInputError);
    expect(index.asked).toEqual([]);
  });
});
