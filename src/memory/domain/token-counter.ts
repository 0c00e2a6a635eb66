/** Counts tokens as the model's tokenizer does; nothing is fetched to do it. */
export abstract class TokenCounter {
  abstract count(text: string, model: string): number;
}

/**
 * Tokens a chat message costs beyond its content (role and separators), and those that prime
 * the reply: OpenAI's published accounting for its chat models, close enough for other servers.
 */
export const MESSAGE_OVERHEAD_TOKENS = 4;
export const REPLY_PRIMING_TOKENS = 3;
