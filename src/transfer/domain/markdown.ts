import { ArchivedSession } from './archive';

const SPEAKERS = { Human: 'You', AI: 'Assistant' } as const;

/**
 * A conversation as Markdown meant for reading: a title, when it happened, then each message under
 * its speaker and time. Message text is kept as written (it is Markdown already, code fences included).
 */
export function toMarkdown({ session, settings, messages }: ArchivedSession): string {
  const lines = [`# ${oneLine(session.chatName) || 'Conversation'}`, ''];
  lines.push(`*Started ${readable(session.createdAt)} · last active ${readable(session.lastActivity)} · ${messages.length} messages*`, '');
  if (settings?.systemPrompt) lines.push('> **System prompt:** ' + oneLine(settings.systemPrompt), '');
  for (const message of messages) {
    lines.push('---', '', `**${SPEAKERS[message.sender]}** · ${readable(message.timestamp)}`, '', message.content.trimEnd(), '');
  }
  return lines.join('\n');
}

/** `2026-11-24 12:00 UTC`. */
export function readable(at: Date): string {
  return `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
