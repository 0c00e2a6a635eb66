import type { ContextState } from './hooks';

const number = new Intl.NumberFormat('en-US');
const turns = (n: number, adjective = '') => `${number.format(n)} ${adjective}${n === 1 ? 'turn' : 'turns'}`;

/** "3,120 / 8,000 tokens · summary of 14 earlier turns": the size of the context and how its turns were chosen. */
export function meterText({ context, summarized }: ContextState): string {
  const size =
    context.max_tokens === null
      ? `${number.format(context.tokens)} tokens`
      : `${number.format(context.tokens)} / ${number.format(context.max_tokens)} tokens`;
  return `${size} · ${memoryText({ context, summarized })}`;
}

function memoryText({ context, summarized }: ContextState): string {
  const recent = context.messages.filter((m) => m.role === 'user').length;
  switch (context.strategy) {
    case 'window':
      return `window of ${turns(recent)}`;
    case 'tokens':
      return `${turns(recent)} in the budget`;
    case 'summary':
      if (context.summary_covers_until === null) return `${turns(recent)}, no summary yet`;
      if (!summarized) return `summary and ${turns(recent)}`;
      return `summary of ${summarized.complete ? '' : 'over '}${turns(summarized.turns, 'earlier ')}`;
  }
}
