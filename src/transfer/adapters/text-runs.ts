import { Face } from './pdf-fonts';

export interface Run {
  readonly face: Face;
  readonly text: string;
}

/** Emoji: none of our faces draws most of them, and those it lacks are left out. */
const EMOJI = /[\p{Extended_Pictographic}\p{Regional_Indicator}]/u;
/** What glues emoji together (joiners, selectors, skin tones) and other invisible controls: always left out. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Emoji_Modifier}\ufe0e\ufe0f\u20e3]/u;
const SPACE = /[\t ]/;

/**
 * Cuts one line of text into runs that one face each can draw, trying the faces in order. A character none has is
 * dropped when it is an emoji (a box would mean nothing to a reader) and shown as `?` otherwise, so
 * nothing falls back to a missing-glyph box that breaks the line.
 */
export function runsOf(line: string, faces: readonly Face[]): Run[] {
  const runs: { face: Face; text: string }[] = [];
  let dropped = false;
  for (const char of line) {
    if (INVISIBLE.test(char)) continue;
    const codePoint = char.codePointAt(0)!;
    const last = runs[runs.length - 1];
    const space = SPACE.test(char);
    // An emoji left out between two spaces would leave a double space behind.
    if (space && dropped && last?.text.endsWith(char)) continue;
    let chosen = space ? (last?.face ?? faces[0]) : faces.find((f) => f.has(codePoint));
    let shown = char;
    dropped = false;
    if (!chosen) {
      if (EMOJI.test(char)) {
        dropped = true;
        continue;
      }
      chosen = faces[0];
      shown = '?';
    }
    if (last && last.face === chosen) last.text += shown;
    else runs.push({ face: chosen, text: shown });
  }
  return runs;
}

/** Message text split into prose and fenced code blocks (```), in order. */
export function blocksOf(content: string): { code: boolean; text: string }[] {
  const blocks: { code: boolean; text: string }[] = [];
  const fence = /^```[^\n]*\n([\s\S]*?)(?:^```[ \t]*$|(?![\s\S]))/gm;
  let at = 0;
  for (const match of content.matchAll(fence)) {
    if (match.index > at) blocks.push({ code: false, text: content.slice(at, match.index) });
    blocks.push({ code: true, text: match[1].replace(/\n$/, '') });
    at = match.index + match[0].length;
  }
  if (at < content.length) blocks.push({ code: false, text: content.slice(at) });
  return blocks.map((b) => (b.code ? b : { code: false, text: b.text.replace(/^\n+|\n+$/g, '') })).filter((b) => b.code || b.text.trim() !== '');
}
