/**
 * Scores how positive or negative a text is, at the time a message is written. The score is a
 * number where 0 is neutral, above 0 positive and below 0 negative; it is comparable between texts
 * of different lengths (a long message is not more emotional for having more words).
 */
export abstract class SentimentScorer {
  abstract score(text: string): number;
}
