/**
 * A search as our own parser reads it from what a person typed. Raw input never reaches MATCH or
 * to_tsquery: the stores build their query syntax from these terms, whose words hold only letters
 * and digits, so no quote, operator or parenthesis of the input can change the query's shape.
 */
export type SearchTerm =
  /** A word, or with `prefix` every word that starts with it (`word*`). */
  | { readonly kind: 'word'; readonly word: string; readonly prefix: boolean }
  /** Words next to each other in this order (`"..."`, or `foo-bar`); `prefix` applies to the last. */
  | { readonly kind: 'phrase'; readonly words: readonly string[]; readonly prefix: boolean };

/** Most terms one search may hold: each is a lookup in the index. */
export const MAX_SEARCH_TERMS = 16;

/**
 * Letters, digits and private-use characters make words; everything else separates them. This is
 * how SQLite's unicode61 tokenizer splits text (and PostgreSQL's, once ASCII punctuation is blanked).
 */
const WORD = /[\p{L}\p{N}\p{Co}]+/gu;

/** The words of a text, lowercased, with where each starts and ends. */
export function wordsOf(text: string): { word: string; start: number; end: number }[] {
  return Array.from(text.matchAll(WORD), (m) => ({ word: m[0].toLowerCase(), start: m.index, end: m.index + m[0].length }));
}

/**
 * Reads `"a phrase"`, `prefix*` and plain words; all terms must match. Anything else (AND, NEAR(,
 * parentheses, a lone `-` or `*`) is punctuation between words. An unclosed quote runs to the end.
 */
export function parseSearchQuery(input: string): SearchTerm[] {
  const terms: SearchTerm[] = [];
  // A quoted phrase (closed or not) with an optional `*`, or a run of anything but spaces and quotes.
  for (const m of input.matchAll(/"([^"]*)"?(\*?)|([^\s"]+)/gu)) {
    const quoted = m[1] !== undefined;
    const text = quoted ? m[1] : m[3];
    const prefix = quoted ? m[2] === '*' : /[\p{L}\p{N}\p{Co}]\*+$/u.test(text);
    const term = termOf(wordsOf(text).map((w) => w.word), prefix);
    if (term) terms.push(term);
  }
  return terms;
}

function termOf(words: string[], prefix: boolean): SearchTerm | null {
  if (words.length === 0) return null;
  return words.length === 1 ? { kind: 'word', word: words[0], prefix } : { kind: 'phrase', words, prefix };
}
