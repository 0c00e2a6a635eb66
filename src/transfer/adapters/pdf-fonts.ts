import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as fontkit from 'fontkit';

/** A font file from an npm package (never fetched at run time), and what it can draw. */
export interface Face {
  readonly name: string;
  /** The font file, read once: every PDF embeds its subset from this copy. */
  readonly data: Buffer;
  has(codePoint: number): boolean;
}

function packageFile(pkg: string, file: string): string {
  return join(dirname(require.resolve(`${pkg}/package.json`)), file);
}

function face(name: string, path: string): Face {
  const data = readFileSync(path);
  const font = fontkit.create(data) as fontkit.Font;
  return { name, data, has: (codePoint) => font.hasGlyphForCodePoint(codePoint) };
}

/**
 * The faces a PDF is set in: DejaVu for Latin, Greek and Cyrillic (and code), then the fallbacks tried in
 * order for what DejaVu lacks: Noto Sans SC for Chinese and Japanese, Noto Sans KR for Korean (Hangul).
 */
export interface FontSet {
  readonly body: Face;
  readonly bold: Face;
  readonly mono: Face;
  readonly fallbacks: readonly Face[];
}

export function loadFonts(): FontSet {
  return {
    body: face('body', packageFile('dejavu-fonts-ttf', 'ttf/DejaVuSans.ttf')),
    bold: face('bold', packageFile('dejavu-fonts-ttf', 'ttf/DejaVuSans-Bold.ttf')),
    mono: face('mono', packageFile('dejavu-fonts-ttf', 'ttf/DejaVuSansMono.ttf')),
    fallbacks: [
      face('cjk', packageFile('@expo-google-fonts/noto-sans-sc', '400Regular/NotoSansSC_400Regular.ttf')),
      face('korean', packageFile('@expo-google-fonts/noto-sans-kr', '400Regular/NotoSansKR_400Regular.ttf')),
    ],
  };
}
