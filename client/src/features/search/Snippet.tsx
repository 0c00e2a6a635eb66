import type { ReactNode } from 'react';

/** The server's markers around a matched word (U+0002 … U+0003); they occur nowhere else in a snippet. */
const START = '\u0002';
const END = '\u0003';

/**
 * A search snippet as React text nodes, each matched word in a <mark>. Everything stays text:
 * whatever HTML a message holds is shown, never parsed.
 */
export function Snippet({ text }: { text: string }) {
  const parts: ReactNode[] = [];
  text.split(START).forEach((piece, i) => {
    if (i === 0) {
      parts.push(piece);
      return;
    }
    const [matched, ...rest] = piece.split(END);
    parts.push(<mark key={i}>{matched}</mark>, rest.join(''));
  });
  return <span className="snippet">{parts}</span>;
}
