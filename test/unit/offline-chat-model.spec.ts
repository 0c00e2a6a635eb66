import { OfflineChatModel } from '../../src/chat/adapters/offline-chat-model';
import { TurnAbortedError } from '../../src/common/domain-error';

describe(OfflineChatModel.name, () => {
  const model = new OfflineChatModel();
  const ask = (content: string, earlier = 0) => ({
    messages: [
      ...Array.from({ length: earlier }, (_, i) => [
        { role: 'human' as const, content: `q${i}` },
        { role: 'ai' as const, content: `a${i}` },
      ]).flat(),
      { role: 'human' as const, content },
    ],
  });

  it('should say it is the offline model, echo the prompt and count the turns it sees, the same every time', async () => {
    const reply = await model.complete(ask('Hello   there\nfriend', 2));
    expect(reply).toContain('offline model');
    expect(reply).toContain('You said: “Hello there friend”');
    expect(reply).toContain('I can see 2 earlier turns');
    expect(await model.complete(ask('Hello   there\nfriend', 2))).toBe(reply);
  });

  it('should name a code block in the quote and echo it in a block of its own', async () => {
    const reply = await model.complete(ask('Fix this:\n```js\nconst a = 1;\n```\nthanks'));
    expect(reply).toContain('You said: “Fix this: [code] thanks”');
    expect(reply).toContain('```\nconst a = 1;\n```');
  });

  it('should stream the same text in several pieces, and stop when aborted', async () => {
    const pieces: string[] = [];
    for await (const piece of model.stream(ask('Tell me something'))) pieces.push(piece);
    expect(pieces.length).toBeGreaterThan(5);
    expect(pieces.join('')).toBe(await model.complete(ask('Tell me something')));
    const controller = new AbortController();
    const iterate = async () => {
      for await (const _ of model.stream({ ...ask('x'), signal: controller.signal })) controller.abort();
    };
    await expect(iterate()).rejects.toBeInstanceOf(TurnAbortedError);
  });
});
