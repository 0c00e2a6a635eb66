import { InvalidFieldError } from '../../common/domain-error';
import { checkedMetadata } from './checked-metadata';
import { answerItemId, conversationId, humanMessageIdOf, itemId, itemRefOf, responseId, sessionIdOf, unstoredResponseId } from './ids';
import { readItems } from './input-items';

describe('OpenAI ids over ours', () => {
  it('should map a session id to conv_ and back, whatever its case, and refuse anything else', () => {
    const id = conversationId('0F8E2C4A-1B2C-4D3E-8F90-A1B2C3D4E5F6');
    expect(id).toBe('conv_0f8e2c4a1b2c4d3e8f90a1b2c3d4e5f6');
    expect(sessionIdOf(id)).toBe('0f8e2c4a-1b2c-4d3e-8f90-a1b2c3d4e5f6');
    for (const bad of ['conv_', 'conv_0f8e2c4a', 'conv_0f8e2c4a-1b2c-4d3e-8f90-a1b2c3d4e5f6', '0f8e2c4a1b2c4d3e8f90a1b2c3d4e5f6', 'resp_1']) {
      expect(sessionIdOf(bad)).toBeUndefined();
    }
  });

  it("should map message numbers to msg_ (an answer: its question's number and r) and resp_ and back, and give unstored responses ids no stored one has", () => {
    expect(itemRefOf(itemId(42))).toEqual({ kind: 'message', messageId: 42 });
    expect(itemRefOf(answerItemId(41))).toEqual({ kind: 'answer', humanMessageId: 41 });
    expect(humanMessageIdOf(responseId(7))).toBe(7);
    for (const bad of ['msg_', 'msg_0', 'msg_01', 'msg_-1', 'msg_1.5', 'msg_99999999999999999', 'resp_1', 'msg_r', 'msg_1rr']) expect(itemRefOf(bad)).toBeUndefined();
    expect(humanMessageIdOf(unstoredResponseId('ab12'))).toBeUndefined();
  });
});

describe(readItems.name, () => {
  it('should read text messages, strings or parts, and set system and developer ones apart', () => {
    const read = readItems(
      [
        { role: 'developer', content: 'Be brief.' },
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Hel' }, { type: 'input_text', text: 'lo' }] },
        { role: 'assistant', content: [{ type: 'output_text', text: 'Hi', annotations: [] }] },
      ],
      'items',
    );
    expect(read).toEqual({ instructions: ['Be brief.'], messages: [{ sender: 'Human', content: 'Hello' }, { sender: 'AI', content: 'Hi' }] });
  });

  it.each([
    ['not an array', { role: 'user' }, 'items'],
    ['another item kind', [{ type: 'function_call_output', call_id: 'c', output: 'x' }], 'items[0].type'],
    ['an unknown role', [{ role: 'tool', content: 'x' }], 'items[0].role'],
    ['an image part', [{ role: 'user', content: [{ type: 'input_image', image_url: 'http://x' }] }], 'items[0].content[0]'],
  ])('should refuse %s, naming the field', (_name, items, field) => {
    expect(() => readItems(items, 'items')).toThrow(expect.objectContaining({ field }));
    expect(() => readItems(items, 'items')).toThrow(InvalidFieldError);
  });
});

describe(checkedMetadata.name, () => {
  it('should keep up to 16 string pairs and refuse more, long ones and other values', () => {
    expect(checkedMetadata(undefined)).toEqual({});
    expect(checkedMetadata({ a: 'b' })).toEqual({ a: 'b' });
    const many = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'v']));
    expect(() => checkedMetadata(many)).toThrow(InvalidFieldError);
    expect(() => checkedMetadata({ a: 1 })).toThrow(expect.objectContaining({ field: 'metadata.a' }));
    expect(() => checkedMetadata({ ['k'.repeat(65)]: 'v' })).toThrow(InvalidFieldError);
    expect(() => checkedMetadata({ a: 'v'.repeat(513) })).toThrow(InvalidFieldError);
    expect(() => checkedMetadata(['a'])).toThrow(InvalidFieldError);
  });
});
