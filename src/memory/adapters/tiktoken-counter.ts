import { Tiktoken } from 'js-tiktoken/lite';
import cl100k from 'js-tiktoken/ranks/cl100k_base';
import o200k from 'js-tiktoken/ranks/o200k_base';
import { TokenCounter } from '../domain/token-counter';

/** Models of the o200k_base generation; every other model is counted with cl100k_base. */
const O200K_MODELS = /^(gpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|o\d|chatgpt-4o)/i;

const LONG_RUN = /(\S{48,})/;
const LONG_RUN_WHOLE = /^\S{48,}$/;
const SLICE = 32;

/**
 * js-tiktoken with the ranks bundled in the package, so counting works offline. Building an
 * encoder takes a while (hundreds of ms): each is built once, on first use, and shared.
 */
export class TiktokenCounter extends TokenCounter {
  private static readonly encoders = new Map<'o200k' | 'cl100k', Tiktoken>();

  count(text: string, model: string): number {
    const encoder = TiktokenCounter.encoder(O200K_MODELS.test(model) ? 'o200k' : 'cl100k');
    let tokens = 0;
    // BPE is quadratic in the length of a run without spaces (32,000 x's took 107 s here):
    // such runs are counted in short slices, which may overcount them slightly.
    for (const part of text.split(LONG_RUN)) {
      if (!LONG_RUN_WHOLE.test(part)) tokens += encoder.encode(part).length;
      else for (let i = 0; i < part.length; i += SLICE) tokens += encoder.encode(part.slice(i, i + SLICE)).length;
    }
    return tokens;
  }

  private static encoder(name: 'o200k' | 'cl100k'): Tiktoken {
    let encoder = this.encoders.get(name);
    if (!encoder) {
      encoder = new Tiktoken(name === 'o200k' ? o200k : cl100k);
      this.encoders.set(name, encoder);
    }
    return encoder;
  }
}
