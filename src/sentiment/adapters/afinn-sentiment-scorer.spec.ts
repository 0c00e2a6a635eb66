import { SentimentScorer } from '../domain/sentiment-scorer';
import { AfinnSentimentScorer } from './afinn-sentiment-scorer';

describe(AfinnSentimentScorer.name, () => {
  const scorer: SentimentScorer = new AfinnSentimentScorer();

  it('should score by the AFINN lexicon, per word', () => {
    // love +3, great +3 over five words.
    expect(scorer.score('I love this, great work!')).toBeCloseTo(6 / 5, 10);
    // hate -3, terrible -3 over four words.
    expect(scorer.score('I hate terrible bugs')).toBeCloseTo(-6 / 4, 10);
  });

  it('should give neutral text and text without words a zero', () => {
    expect(scorer.score('The table has four legs')).toBe(0);
    expect(scorer.score('')).toBe(0);
    expect(scorer.score('🙂 ... !!!')).toBe(0);
  });
});
