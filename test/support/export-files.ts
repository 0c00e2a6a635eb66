/**
 * Export files of other chat tools, built from the public descriptions of their formats (no real
 * user's data): ChatGPT's and Claude's `conversations.json`.
 */

type Role = 'system' | 'user' | 'assistant' | 'tool';

interface GptNode {
  id: string;
  role?: Role;
  text?: string;
  parent: string | null;
  time?: number;
  hidden?: boolean;
  recipient?: string;
  contentType?: string;
  parts?: unknown[];
}

/** One ChatGPT conversation: a `mapping` tree of nodes linked by `parent`/`children`, and `current_node`. */
export function chatGptConversation(title: string | null, createTime: number, nodes: GptNode[], currentNode: string | undefined): Record<string, unknown> {
  const mapping: Record<string, unknown> = {};
  for (const node of nodes) {
    mapping[node.id] = {
      id: node.id,
      message: node.role
        ? {
            id: node.id,
            author: { role: node.role, name: node.role === 'tool' ? 'python' : null, metadata: {} },
            create_time: node.time ?? null,
            update_time: null,
            content: { content_type: node.contentType ?? 'text', parts: node.parts ?? [node.text ?? ''] },
            status: 'finished_successfully',
            end_turn: node.role === 'assistant' ? true : null,
            weight: 1,
            metadata: node.hidden ? { is_visually_hidden_from_conversation: true } : {},
            recipient: node.recipient ?? 'all',
          }
        : null,
      parent: node.parent,
      children: nodes.filter((n) => n.parent === node.id).map((n) => n.id),
    };
  }
  return {
    title,
    create_time: createTime,
    update_time: createTime + 600,
    mapping,
    moderation_results: [],
    ...(currentNode === undefined ? {} : { current_node: currentNode }),
    plugin_ids: null,
    conversation_id: `conv-${title}`,
    id: `conv-${title}`,
  };
}

/**
 * A conversation with everything an import must leave out: a hidden system message, a regenerated
 * reply (the branch not shown), a tool call and its output, and an image part beside text.
 */
export function kyotoConversation(): Record<string, unknown> {
  const t = 1_700_000_000;
  return chatGptConversation(
    'Un café à Kyoto',
    t,
    [
      { id: 'root', parent: null },
      { id: 'sys', role: 'system', text: '', parent: 'root', hidden: true },
      { id: 'ctx', role: 'user', text: 'hidden user context', parent: 'sys', hidden: true, time: t + 1 },
      { id: 'u1', role: 'user', text: 'Where can I get a café crème in Kyoto?', parent: 'ctx', time: t + 10 },
      { id: 'a1-old', role: 'assistant', text: 'OLD REPLY that was regenerated', parent: 'u1', time: t + 20 },
      { id: 'a1', role: 'assistant', text: 'Try Smart Coffee near 京都市役所.', parent: 'u1', time: t + 30 },
      { id: 'u2', role: 'user', text: 'Compute 2+2 for me', parent: 'a1', time: t + 40 },
      { id: 'call', role: 'assistant', contentType: 'code', parts: undefined, text: 'print(2+2)', recipient: 'python', parent: 'u2', time: t + 41 },
      { id: 'out', role: 'tool', contentType: 'execution_output', text: '4', parent: 'call', time: t + 42 },
      { id: 'a2', role: 'assistant', parts: ['It is 4.', { content_type: 'image_asset_pointer', asset_pointer: 'file-service://x' }], parent: 'out', time: t + 50 },
      { id: 'u2-edit', role: 'user', text: 'EDITED PROMPT on a branch not shown', parent: 'a1', time: t + 60 },
    ],
    'a2',
  );
}

export function claudeConversation(name: string, messages: { sender: 'human' | 'assistant'; text: string; at: string; blocks?: boolean }[]): Record<string, unknown> {
  return {
    uuid: `uuid-${name}`,
    name,
    created_at: messages[0]?.at ?? '2025-03-01T10:00:00.000000Z',
    updated_at: messages[messages.length - 1]?.at ?? '2025-03-01T10:00:00.000000Z',
    account: { uuid: 'account-uuid' },
    chat_messages: messages.map((m, i) => ({
      uuid: `${name}-${i}`,
      // Newer exports put the text in content blocks and leave `text` empty.
      text: m.blocks ? '' : m.text,
      content: [{ type: 'text', text: m.text, start_timestamp: m.at, stop_timestamp: m.at, citations: [] }],
      sender: m.sender,
      created_at: m.at,
      updated_at: m.at,
      attachments: [],
      files: [],
    })),
  };
}
