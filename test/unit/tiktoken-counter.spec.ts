import { TiktokenCounter } from '../../src/memory/adapters/tiktoken-counter';

describe(TiktokenCounter.name, () => {
  const counter = new TiktokenCounter();

  it('should count with the bundled encodings, offline: o200k_base for gpt-4o models, cl100k_base for others', () => {
    expect(counter.count('hello world', 'gpt-4o-mini')).toBe(2);
    expect(counter.count('hello world', 'llama3')).toBe(2);
    // A word the two encodings split differently.
    const text = 'Szegedi méhészet különlegességei';
    expect(counter.count(text, 'gpt-4o')).not.toBe(counter.count(text, 'gpt-3.5-turbo'));
  }, 15_000);

  it('should count a long run without spaces quickly (BPE is quadratic there)', () => {
    const started = Date.now();
    expect(counter.count('x'.repeat(32_000), 'gpt-4o')).toBeGreaterThan(1000);
    expect(Date.now() - started).toBeLessThan(3000);
  }, 15_000);
});
