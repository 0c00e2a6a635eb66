const FENCE_SOURCE = /^[ \t]{0,3}(`{3,}|~{3,})[^\n]*\n([\s\S]*?)^[ \t]{0,3}\1[`~]*[ \t]*$/.source;
const FENCE = new RegExp(FENCE_SOURCE, 'm');
const FENCES = new RegExp(FENCE_SOURCE, 'gm');

/** The body of the first fenced code block of a Markdown text, if it has one. */
export function firstCodeBlock(text: string): string | undefined {
  const match = FENCE.exec(text);
  return match ? match[2].replace(/\n$/, '') : undefined;
}

/** The text with each fenced code block, fences included, replaced by `placeholder`. */
export function replaceCodeBlocks(text: string, placeholder: string): string {
  return text.replace(FENCES, placeholder);
}
