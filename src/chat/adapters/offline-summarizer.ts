import { Injectable } from '@nestjs/common';
import { FoldRequest, Summarizer } from '../domain/summarizer';

/**
 * The offline model's summary: the previous one plus the first sentence of each message of the
 * folded turns. Deterministic, so the summary strategy works and is testable with no model server.
 */
@Injectable()
export class OfflineSummarizer extends Summarizer {
  async fold({ previous, turns, signal }: FoldRequest): Promise<string> {
    signal?.throwIfAborted();
    const lines = turns.map((t) => `- Human: ${firstSentence(t.human)} AI: ${firstSentence(t.ai)}`);
    return [previous, ...lines].filter((line) => line).join('\n');
  }
}

function firstSentence(text: string): string {
  const line = text.trim().replace(/\s+/g, ' ');
  const end = line.search(/[.!?](\s|$)/);
  return end < 0 ? line : line.slice(0, end + 1);
}
