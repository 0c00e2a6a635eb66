import { defaultDeserialize, defaultSerialize } from '@keyv/serialize';
import { deserializeWindow, serializeWindow } from './window-codec';

const entry = {
  value: {
    messages: [
      { type: 'human', data: { content: ':) a smile first, then "quotes", \\ and ✨', additional_kwargs: {} } },
      { type: 'ai', data: { content: '::two colons', additional_kwargs: {} } },
    ],
    partial: false,
    settings: { model: 'gpt-4o-mini', temperature: 0.2 },
  },
  expires: 1_767_225_600_000,
};

describe('the window codec', () => {
  it('should give back exactly what it was given, strings that start with colons included', () => {
    expect(deserializeWindow(serializeWindow(entry))).toEqual(entry);
  });

  it("should read the entries of the previous version, written with Keyv's own codec", () => {
    expect(deserializeWindow(defaultSerialize(entry))).toEqual(entry);
  });

  it('should look like an entry without a value to the previous version, which then rebuilds the window', () => {
    const seenByPrevious = defaultDeserialize(serializeWindow(entry)) as { value?: unknown; expires?: unknown };
    expect(seenByPrevious.value).toBeUndefined();
    expect(seenByPrevious.expires).toBeUndefined();
  });
});
