const FENCE = /^[ \t]{0,3}(`{3,}|~{3,})[^\n]*\n([\s\S]*?)^[ \t]{0,3}\1[`~]*[ \t]*$/m;

/** The body of the first fenced code block of a Markdown text, if it has one. */
export function firstCodeBlock(text: string): string | undefined {
  const match = FENCE.exec(text);
  return match ? match[2].replace(/\n$/, '') : undefined;
}
