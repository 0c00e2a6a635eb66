import Sentiment from 'sentiment';
import { SentimentScorer } from '../domain/sentiment-scorer';

/**
 * The AFINN-165 lexicon through the `sentiment` package: each known word carries -5..+5, and the
 * score is their sum divided by the number of words ("comparative"), so length does not weigh.
 */
export class AfinnSentimentScorer extends SentimentScorer {
  private readonly analyzer = new Sentiment();

  score(text: string): number {
    const { comparative } = this.analyzer.analyze(text);
    // A text without words divides 0 by 0.
    return Number.isFinite(comparative) ? comparative : 0;
  }
}
