import { chatGptConversation, kyotoConversation } from '../../../test/support/export-files';
import { readImportFile, UnreadableImportError } from './import-file';

const NOW = new Date('2026-11-24T12:00:00Z');
const contents = (body: unknown) =>
  readImportFile(body, NOW).entries.map((e) => (e.ok ? e.conversation.messages.map((m) => `${m.sender}: ${m.content}`) : e.reason));

describe(readImportFile.name, () => {
  it('should follow the last child from the root when an old ChatGPT export has no current_node', () => {
    const { current_node: _gone, ...old } = kyotoConversation();
    expect(contents([old])).toEqual([['Human: Where can I get a café crème in Kyoto?', 'AI: Try Smart Coffee near 京都市役所.', 'Human: EDITED PROMPT on a branch not shown']]);
  });

  it('should refuse a mapping whose parents loop, naming the conversation', () => {
    const looped = chatGptConversation('loop', 1, [
      { id: 'a', role: 'user', text: 'hi', parent: 'b' },
      { id: 'b', role: 'assistant', text: 'yo', parent: 'a' },
    ], 'a');
    expect(() => readImportFile([kyotoConversation(), looped], NOW)).toThrow(new UnreadableImportError(['conversation 1: mapping loops back to node a']));
  });

  it('should give a message without a time the time before it, and name an untitled conversation from its first message', () => {
    const untitled = chatGptConversation(null, 1_700_000_000, [
      { id: 'r', parent: null },
      { id: 'u', role: 'user', text: 'A question without a title', parent: 'r' },
      { id: 'a', role: 'assistant', text: 'An answer', parent: 'u', time: 1_700_000_100 },
    ], 'a');
    const [entry] = readImportFile([untitled], NOW).entries;
    expect(entry).toEqual({
      ok: true,
      conversation: {
        title: 'A question without a title',
        createdAt: new Date(1_700_000_000_000),
        settings: null,
        organisation: null,
        messages: [
          { sender: 'Human', content: 'A question without a title', timestamp: new Date(1_700_000_000_000) },
          { sender: 'AI', content: 'An answer', timestamp: new Date(1_700_000_100_000) },
        ],
      },
    });
  });

  it('should list at most five problems and say how many more there are', () => {
    const bad = Array.from({ length: 7 }, () => ({ mapping: [] }));
    expect(() => readImportFile(bad, NOW)).toThrow(/conversation 4: mapping is not an object; and 2 more$/);
  });
});
