/** Longest file name stem, in characters: file systems allow 255 bytes, and a name is for reading. */
const STEM_LENGTH = 80;

/**
 * A `Content-Disposition: attachment` header for a download named after a chat: `filename` is an
 * ASCII fallback (accents dropped, anything else an underscore), `filename*` the UTF-8 name (RFC
 * 5987/6266). Neither can carry a path, a quote, a control character or a header break.
 */
export function attachmentHeader(chatName: string, extension: string): string {
  const stem = safeStem(chatName) || 'conversation';
  const ascii = stem.normalize('NFKD').replace(/\p{M}/gu, '').replace(/[^\x20-\x7e]+/g, '_').replace(/^[\s._]+|[\s._]+$/g, '') || 'conversation';
  return `attachment; filename="${ascii}.${extension}"; filename*=UTF-8''${encodeRfc5987(`${stem}.${extension}`)}`;
}

/** The chat name without what a file name may not hold, trimmed of dots and spaces, cut to a readable length. */
function safeStem(name: string): string {
  const cleaned = name
    .replace(/\s+/g, ' ')
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .replace(/[\\/:*?"<>|;%`]/g, '_')
    .replace(/^[\s.]+|[\s.]+$/g, '');
  return Array.from(cleaned).slice(0, STEM_LENGTH).join('').trim();
}

function encodeRfc5987(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
