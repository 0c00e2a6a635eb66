import { describe, expect, it } from 'vitest';
import { apiError, fakeApi, sse } from '../test/fakeApi';
import { ApiError } from './client';
import { SseParser, streamGenerate } from './stream';

describe('SseParser', () => {
  const text = 'event: token\ndata: {"text":"Hel"}\n\nevent: token\r\ndata: {"text":"lo"}\r\n\r\n: a comment\n\nevent: done\ndata: {"a":1}\n\n';

  it('should give the same events whatever the chunk sizes', () => {
    for (const size of [1, 2, 7, 20, text.length]) {
      const parser = new SseParser();
      const events = [];
      for (let i = 0; i < text.length; i += size) events.push(...parser.push(text.slice(i, i + size)));
      events.push(...parser.flush());
      expect(events).toEqual([
        { event: 'token', data: '{"text":"Hel"}' },
        { event: 'token', data: '{"text":"lo"}' },
        { event: 'done', data: '{"a":1}' },
      ]);
    }
  });

  it('should join multi-line data and default the event name to message', () => {
    const parser = new SseParser();
    expect(parser.push('data: a\ndata: b\n\n')).toEqual([{ event: 'message', data: 'a\nb' }]);
  });

  it('should parse a last event that ends without a blank line on flush', () => {
    const parser = new SseParser();
    expect(parser.push('event: done\ndata: {}')).toEqual([]);
    expect(parser.flush()).toEqual([{ event: 'done', data: '{}' }]);
  });
});

describe('streamGenerate', () => {
  it('should yield typed token and done events', async () => {
    fakeApi({
      'POST /api/generate/stream': () =>
        sse([
          ['token', { text: 'Hi' }],
          ['done', { response: 'Hi', session_id: 's', chat_name: 'c', message_type: 'conversation', timestamp: 1 }],
        ]),
    });
    const events = [];
    for await (const event of streamGenerate({ prompt: 'x' }, new AbortController().signal)) events.push(event.event);
    expect(events).toEqual(['token', 'done']);
  });

  it('should throw the detail of a refused request', async () => {
    fakeApi({ 'POST /api/generate/stream': () => apiError(413, 'prompt_too_long', 'The prompt is too long.') });
    const run = async () => {
      for await (const event of streamGenerate({ prompt: 'x' }, new AbortController().signal)) void event;
    };
    await expect(run()).rejects.toEqual(new ApiError(413, 'prompt_too_long', 'The prompt is too long.'));
  });
});
