/**
 * OpenAI's prefixed ids over ours, both ways: a conversation is a session (`conv_` and its UUID's
 * 32 hex digits), an item is a stored message (`msg_` and its number), a stored response is the turn
 * that its Human message started (`resp_` and that message's number: known as soon as a streamed
 * turn starts, and the answer is the AI message after it). A response that was not stored gets
 * an id no stored one can have (`resp_x…`), so fetching it is a plain 404.
 */
const UUID_HEX = /^[0-9a-f]{32}$/;
const MESSAGE_NUMBER = /^[1-9][0-9]{0,15}$/;

export function conversationId(sessionId: string): string {
  return `conv_${sessionId.replace(/-/g, '').toLowerCase()}`;
}

/** The session id of a conversation id; undefined when it is not one of ours. */
export function sessionIdOf(conversationId: string): string | undefined {
  const hex = conversationId.startsWith('conv_') ? conversationId.slice(5).toLowerCase() : '';
  if (!UUID_HEX.test(hex)) return undefined;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function itemId(messageId: number): string {
  return `msg_${messageId}`;
}

/** The item of an AI message that answers Human message `humanMessageId`. */
export function answerItemId(humanMessageId: number): string {
  return `msg_${humanMessageId}r`;
}

export type ItemRef = { readonly kind: 'message'; readonly messageId: number } | { readonly kind: 'answer'; readonly humanMessageId: number };

export function itemRefOf(itemId: string): ItemRef | undefined {
  if (itemId.endsWith('r')) {
    const humanMessageId = numberAfter('msg_', itemId.slice(0, -1));
    return humanMessageId === undefined ? undefined : { kind: 'answer', humanMessageId };
  }
  const messageId = numberAfter('msg_', itemId);
  return messageId === undefined ? undefined : { kind: 'message', messageId };
}

export function responseId(humanMessageId: number): string {
  return `resp_${humanMessageId}`;
}

export function unstoredResponseId(random: string): string {
  return `resp_x${random}`;
}

export function humanMessageIdOf(responseId: string): number | undefined {
  return numberAfter('resp_', responseId);
}

function numberAfter(prefix: string, id: string): number | undefined {
  const digits = id.startsWith(prefix) ? id.slice(prefix.length) : '';
  if (!MESSAGE_NUMBER.test(digits)) return undefined;
  const n = Number(digits);
  return Number.isSafeInteger(n) ? n : undefined;
}
