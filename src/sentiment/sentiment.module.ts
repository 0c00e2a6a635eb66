import { Module } from '@nestjs/common';
import { AfinnSentimentScorer } from './adapters/afinn-sentiment-scorer';
import { SentimentScorer } from './domain/sentiment-scorer';

/** The scorer of human messages, read by the session store when it writes them. */
@Module({
  providers: [{ provide: SentimentScorer, useClass: AfinnSentimentScorer }],
  exports: [SentimentScorer],
})
export class SentimentModule {}
