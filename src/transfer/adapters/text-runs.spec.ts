import { Face } from './pdf-fonts';
import { blocksOf, runsOf } from './text-runs';

const latin: Face = { name: 'latin', data: Buffer.alloc(0), has: (cp) => cp < 0x2000 };
const cjk: Face = { name: 'cjk', data: Buffer.alloc(0), has: (cp) => cp >= 0x3000 && cp < 0xa000 };
const shown = (text: string) => runsOf(text, [latin, cjk]).map((r) => `${r.face.name}:${r.text}`);

describe(runsOf.name, () => {
  it('should give each piece to the first face that draws it', () => {
    expect(shown('Café 東京 now')).toEqual(['latin:Café ', 'cjk:東京 ', 'latin:now']);
  });

  it('should leave out emoji, their joiners and skin tones, without a double space, and mark other unknowns with ?', () => {
    expect(shown('a 🎂 b 👨‍👩‍👧 c 👍🏽 d 🇫🇷 e')).toEqual(['latin:a b c d e']);
    expect(shown('x \u{10300} y')).toEqual(['latin:x ? y']);
  });
});

describe(blocksOf.name, () => {
  it('should split prose from fenced code, an unclosed fence running to the end', () => {
    expect(blocksOf('Intro:\n```js\nconst a = 1;\n```\nAfter.\n```\nopen')).toEqual([
      { code: false, text: 'Intro:' },
      { code: true, text: 'const a = 1;' },
      { code: false, text: 'After.' },
      { code: true, text: 'open' },
    ]);
  });
});
