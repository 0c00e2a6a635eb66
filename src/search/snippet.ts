import { SearchTerm, wordsOf } from '../common/search-query';

/** Opens a matched word in a snippet (STX). The text around it never holds one: see `snippetOf`. */
export const MARK_START = '\u0002';
/** Closes a matched word in a snippet (ETX). */
export const MARK_END = '\u0003';

/** Words of context kept before the first match, and words shown in all. */
const WORDS_BEFORE = 8;
const WORDS_IN_ALL = 32;

/**
 * A short excerpt of `text` around its first match, each matched word between MARK_START and
 * MARK_END, with `…` where text was cut. The markers are control characters that the text itself
 * cannot bring: any STX or ETX in it becomes a space first, so a message cannot forge a highlight.
 */
export function snippetOf(text: string, terms: readonly SearchTerm[]): string {
  const clean = text.replaceAll(MARK_START, ' ').replaceAll(MARK_END, ' ');
  const words = wordsOf(clean);
  const marked = matchedWords(words.map((w) => w.word), terms);
  const first = marked.findIndex(Boolean);
  const from = Math.max(0, (first < 0 ? 0 : first) - WORDS_BEFORE);
  const to = Math.min(words.length, from + WORDS_IN_ALL);
  if (words.length === 0) return clean.slice(0, 200);
  let out = from > 0 ? '…' : '';
  let at = from > 0 ? words[from].start : 0;
  for (let i = from; i < to; i++) {
    out += cut(clean.slice(at, words[i].start), 20);
    const word = cut(clean.slice(words[i].start, words[i].end), 80);
    out += marked[i] ? `${MARK_START}${word}${MARK_END}` : word;
    at = words[i].end;
  }
  out += to < words.length ? ' …' : cut(clean.slice(at), 20);
  // Neighbouring matches (a phrase) read as one mark.
  return out.replaceAll(`${MARK_END} ${MARK_START}`, ' ').trim();
}

/** A long word or run of punctuation (a pasted key, a ruler of `=`) must not fill the snippet. */
function cut(text: string, max: number): string {
  return text.length > max ? `${Array.from(text).slice(0, max).join('')}…` : text;
}

/** Which of `words` (lowercased) belong to a match of some term. */
function matchedWords(words: readonly string[], terms: readonly SearchTerm[]): boolean[] {
  const marked = words.map(() => false);
  const fits = (word: string, wanted: string, prefix: boolean) => (prefix ? word.startsWith(wanted) : word === wanted);
  for (const term of terms) {
    const wanted = term.kind === 'word' ? [term.word] : term.words;
    for (let i = 0; i + wanted.length <= words.length; i++) {
      if (wanted.every((w, j) => fits(words[i + j], w, term.prefix && j === wanted.length - 1))) {
        for (let j = 0; j < wanted.length; j++) marked[i + j] = true;
      }
    }
  }
  return marked;
}
