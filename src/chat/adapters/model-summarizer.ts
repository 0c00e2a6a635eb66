import { Injectable } from '@nestjs/common';
import { ChatModel, PromptMessage } from '../domain/chat-model';
import { FoldRequest, Summarizer } from '../domain/summarizer';

const INSTRUCTIONS =
  'You keep the running summary of a conversation. Fold the new turns into the summary so far. ' +
  'Keep names, facts, numbers, decisions and open questions; drop pleasantries. Answer with the updated summary only, ' +
  'in plain prose, at most {words} words.';

/** Asks the chat model to fold the turns that left the window into the previous summary. */
@Injectable()
export class ModelSummarizer extends Summarizer {
  constructor(private readonly model: ChatModel) {
    super();
  }

  fold({ previous, turns, maxTokens, model, signal }: FoldRequest): Promise<string> {
    const transcript = turns.map((t) => `Human: ${t.human}\nAI: ${t.ai}`).join('\n\n');
    const messages: PromptMessage[] = [
      // About three words in four tokens: ask for fewer words than the bound allows.
      { role: 'system', content: INSTRUCTIONS.replace('{words}', String(Math.max(10, Math.floor(maxTokens * 0.6)))) },
      { role: 'human', content: `Summary so far:\n${previous ?? '(none yet)'}\n\nNew turns:\n${transcript}` },
    ];
    return this.model.complete({ messages, signal, ...(model === undefined ? {} : { model }) });
  }
}
