import { InvalidInputError } from '../../common/domain-error';
import { etagOf, normalizeChatName, normalizeTag, normalizeTags, parseIfMatch } from './organise';

describe('organising rules', () => {
  it('should normalize a tag: NFC, trimmed, inner spaces collapsed, lower case', () => {
    expect(normalizeTag('  Road   Trip ')).toBe('road trip');
    expect(normalizeTag('Cafe\u0301')).toBe('café');
    expect(normalizeTag('ÉTÉ-2026_v1.2')).toBe('été-2026_v1.2');
    expect(normalizeTag('日本語')).toBe('日本語');
  });

  it('should refuse tags that are blank, too long or hold other characters', () => {
    for (const bad of ['', '   ', 'x'.repeat(33), 'a,b', '-lead', 'trail-', 'a--b', '#tag', 'a/b', 'quote"']) {
      expect(() => normalizeTag(bad)).toThrow(InvalidInputError);
    }
    expect(normalizeTag('x'.repeat(32))).toHaveLength(32);
    expect(normalizeTag('é'.repeat(32))).toHaveLength(32);
  });

  it('should merge duplicates before counting, sort, and allow at most 20', () => {
    expect(normalizeTags(['b', 'A', 'a ', 'B'])).toEqual(['a', 'b']);
    const twenty = Array.from({ length: 20 }, (_, i) => `t${i}`);
    expect(normalizeTags([...twenty, 'T1'])).toHaveLength(20);
    expect(() => normalizeTags([...twenty, 'one more'])).toThrow('at most 20 tags');
  });

  it('should trim a chat name and refuse a blank or over-long one', () => {
    expect(normalizeChatName('  Trip  ')).toBe('Trip');
    expect(() => normalizeChatName(' ')).toThrow(InvalidInputError);
    expect(normalizeChatName('👩‍👩‍👧'.repeat(40))).toBeDefined();
    expect(() => normalizeChatName('x'.repeat(201))).toThrow(InvalidInputError);
  });

  it('should read back the versions of its own ETags, and none from foreign or weak ones', () => {
    const createdAt = new Date('2026-11-24T10:00:00.123Z');
    const etag = etagOf({ version: 7, createdAt });
    expect(parseIfMatch(etag)).toEqual([{ version: 7, createdAt }]);
    expect(parseIfMatch(`"x", ${etag}`)).toEqual([{ version: 7, createdAt }]);
    expect(parseIfMatch(`W/${etag}`)).toEqual([]);
    expect(parseIfMatch('"abc"')).toEqual([]);
    expect(parseIfMatch('*')).toBeNull();
    expect(parseIfMatch(undefined)).toBeNull();
  });
});
