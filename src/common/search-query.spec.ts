import { fts5Query, tsQuery } from '../database/full-text';
import { parseSearchQuery } from './search-query';

describe(parseSearchQuery.name, () => {
  it('should read words, "phrases" and prefixes, lowercased', () => {
    expect(parseSearchQuery('Apple "Pie crust" bak*')).toEqual([
      { kind: 'word', word: 'apple', prefix: false },
      { kind: 'phrase', words: ['pie', 'crust'], prefix: false },
      { kind: 'word', word: 'bak', prefix: true },
    ]);
  });

  it('should make a phrase of words joined by punctuation, and let a * after a phrase apply to its last word', () => {
    expect(parseSearchQuery('user@example.com "rollout rest"*')).toEqual([
      { kind: 'phrase', words: ['user', 'example', 'com'], prefix: false },
      { kind: 'phrase', words: ['rollout', 'rest'], prefix: true },
    ]);
  });

  it('should treat operators and brackets of either query language as punctuation', () => {
    expect(parseSearchQuery('NEAR(a b) AND -c | d:* (((')).toEqual([
      { kind: 'phrase', words: ['near', 'a'], prefix: false },
      { kind: 'word', word: 'b', prefix: false },
      { kind: 'word', word: 'and', prefix: false },
      { kind: 'word', word: 'c', prefix: false },
      { kind: 'word', word: 'd', prefix: false },
    ]);
    expect(parseSearchQuery('" * - ((( ) \' ;')).toEqual([]);
  });

  it('should run an unclosed quote to the end and keep letters of every script', () => {
    expect(parseSearchQuery('"Köln café 東京')).toEqual([{ kind: 'phrase', words: ['köln', 'café', '東京'], prefix: false }]);
  });
});

describe('the index query languages', () => {
  const terms = parseSearchQuery('and "pie crust" bak* "a b"*');

  it('should quote every word for FTS5, so no operator can be spelled', () => {
    expect(fts5Query(terms)).toBe('"and" "pie crust" "bak" * "a b" *');
  });

  it('should quote every lexeme for to_tsquery and join phrases with <->', () => {
    expect(tsQuery(terms)).toBe("'and' & ('pie' <-> 'crust') & 'bak':* & ('a' <-> 'b':*)");
  });
});
