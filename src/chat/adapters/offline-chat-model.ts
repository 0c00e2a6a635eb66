import { setImmediate as nextTick } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { TurnAbortedError } from '../../common/domain-error';
import { ChatModel, ModelRequest } from '../domain/chat-model';
import { firstCodeBlock, replaceCodeBlocks } from '../domain/code-block';

const PREVIEW_CHARS = 200;

/**
 * The built-in model: no network, the same answer for the same conversation, produced in pieces.
 * It says what it is, so nobody mistakes it for a language model.
 */
@Injectable()
export class OfflineChatModel extends ChatModel {
  readonly name = 'offline';

  async complete(request: ModelRequest): Promise<string> {
    if (request.signal?.aborted) throw aborted();
    return reply(request);
  }

  async *stream(request: ModelRequest): AsyncIterable<string> {
    for (const piece of splitIntoPieces(reply(request))) {
      if (request.signal?.aborted) throw aborted();
      yield piece;
      await nextTick();
    }
  }
}

function reply({ messages }: ModelRequest): string {
  const prompt = messages[messages.length - 1]?.content ?? '';
  const earlierTurns = messages.filter((m) => m.role === 'human').length - 1;
  // One line, with code blocks named rather than quoted: the block itself is echoed below.
  const chars = Array.from(replaceCodeBlocks(prompt, '[code]').trim().replace(/\s+/g, ' '));
  const preview = chars.length > PREVIEW_CHARS ? `${chars.slice(0, PREVIEW_CHARS).join('')}…` : chars.join('');
  const memory =
    earlierTurns === 0
      ? 'This is the first turn I can see in this conversation.'
      : `I can see ${earlierTurns} earlier ${earlierTurns === 1 ? 'turn' : 'turns'} of this conversation.`;
  let text =
    `This is the offline model: no language model is configured, so I can only echo. ` +
    `You said: “${preview}”. ${memory} ` +
    `Set OPENAI_API_KEY (and OPENAI_BASE_URL for a local server) to talk to a real model.`;
  const code = firstCodeBlock(prompt);
  if (code !== undefined) text += `\n\nYour code, echoed:\n\n\`\`\`\n${code}\n\`\`\``;
  return text;
}

/** Pieces of about three words, as a model's tokens would come. */
function splitIntoPieces(text: string): string[] {
  return text.match(/(?:\S+\s*){1,3}|\s+/g) ?? [text];
}

function aborted(): TurnAbortedError {
  return new TurnAbortedError('The request was aborted.');
}
