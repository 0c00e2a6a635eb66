const CHAT_NAME_LENGTH = 40;

/** A chat's name as the server makes it: the first 40 code points after trimming, so no emoji is cut in half. */
export function chatNameFrom(text: string): string {
  return Array.from(text.trim()).slice(0, CHAT_NAME_LENGTH).join('');
}
