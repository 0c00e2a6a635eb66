import { parseSearchQuery } from '../common/search-query';
import { MARK_END, MARK_START, snippetOf } from './snippet';

const show = (snippet: string) => snippet.replaceAll(MARK_START, '[').replaceAll(MARK_END, ']');

describe(snippetOf.name, () => {
  it('should mark every matching word, phrase and prefix, whatever its case', () => {
    expect(show(snippetOf('Apple, pie: APPLE crumble and baking apples.', parseSearchQuery('apple "pie" bak*')))).toBe(
      '[Apple], [pie]: [APPLE] crumble and [baking] apples.',
    );
    expect(show(snippetOf('the apple pie and pie apple', parseSearchQuery('"apple pie"')))).toBe('the [apple pie] and pie apple');
  });

  it('should cut a long text around the first match', () => {
    const words = Array.from({ length: 100 }, (_, i) => `w${i}`);
    words[50] = 'needle';
    expect(show(snippetOf(words.join(' '), parseSearchQuery('needle')))).toBe(`…${words.slice(42, 50).join(' ')} [needle] ${words.slice(51, 74).join(' ')} …`);
  });

  it('should turn markers inside the text into spaces, so only real matches are marked', () => {
    expect(show(snippetOf(`a ${MARK_START}fake${MARK_END} b needle`, parseSearchQuery('needle')))).toBe('a  fake  b [needle]');
  });

  it('should shorten a huge word or run of punctuation', () => {
    const snippet = snippetOf(`${'='.repeat(5000)} needle ${'x'.repeat(5000)}`, parseSearchQuery('needle'));
    expect(snippet.length).toBeLessThan(150);
  });
});
