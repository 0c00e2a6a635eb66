import { describe, expect, it } from 'vitest';
import { chatNameFrom } from './chatName';

describe('chatNameFrom', () => {
  it('counts code points, so an emoji on the 40th place stays whole', () => {
    const name = chatNameFrom(`${'a'.repeat(39)}😀 and more`);
    expect(name).toBe(`${'a'.repeat(39)}😀`);
    expect(name.endsWith('\ud83d')).toBe(false);
  });

  it('trims before cutting, as the server does', () => {
    expect(chatNameFrom(`   ${'b'.repeat(50)}`)).toBe('b'.repeat(40));
  });
});
