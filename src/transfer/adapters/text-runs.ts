import { Face } from './pdf-fonts';

export interface Run {
  readonly face: Face;
  readonly text: string;
}

/** Emoji and their joiners, selectors and modifiers: no face here draws them, so they are left out. */
const EMOJI = /[\p{Extended_Pictographic}\p{Emoji_Modifier}\p{Regional_Indicator}\u200d\ufe0f\u20e3]/u;
const LINE_BREAK = /[\n\t ]/;

/**
 * Cuts text into runs that one face each can draw, trying the faces in order. A character none has is
 * dropped when it is an emoji (a box would mean nothing to a reader) and shown as `?` otherwise, so
 * nothing falls back to a missing-glyph box that breaks the line.
 */
export function runsOf(text: string, faces: readonly Face[]): Run[] {
  const runs: { face: Face; text: string }[] = [];
  for (const char of text) {
    const codePoint = char.codePointAt(0)!;
    let chosen = LINE_BREAK.test(char) ? (runs[runs.length - 1]?.face ?? faces[0]) : faces.find((f) => f.has(codePoint));
    let shown = char;
    if (!chosen) {
      if (EMOJI.test(char)) continue;
      chosen = faces[0];
      shown = '?';
    }
    const last = runs[runs.length - 1];
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
