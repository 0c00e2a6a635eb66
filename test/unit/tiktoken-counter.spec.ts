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

  // BPE is quadratic in the length of a run without spaces: unbounded, 128,000 characters would run for
  // minutes, far past the test's timeout. No clock in the assertion: a loaded machine only slows it down.
  it('should count a long run without spaces in bounded time (BPE is quadratic there)', () => {
    expect(counter.count('x'.repeat(128_000), 'gpt-4o')).toBeGreaterThan(4000);
  }, 15_000);
});
