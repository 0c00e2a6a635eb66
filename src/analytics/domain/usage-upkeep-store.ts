/** A human message stored without a sentiment score. */
export interface UnscoredMessage {
  readonly id: number;
  readonly content: string;
}

export interface MessageScore {
  readonly id: number;
  readonly score: number;
}

/** What the usage upkeep needs of the store: dropping spent active-user marks, and scoring old messages. */
export abstract class UsageUpkeepStore {
  /**
   * Deletes at most `limit` marks of users active in an hour or a UTC day that ended at or before
   * `endedBy`; says how many it deleted. The usage counters already hold what the marks counted.
   */
  abstract pruneActiveUserMarks(endedBy: Date, limit: number): Promise<number>;

  /** Human messages still without a sentiment, oldest first, at most `limit`. */
  abstract unscoredMessages(limit: number): Promise<UnscoredMessage[]>;

  /**
   * Stores each score on its message if that message is still unscored, and adds the scores stored
   * to their hours' sentiment in the usage series, in one transaction; says how many it stored.
   */
  abstract storeScores(scores: readonly MessageScore[]): Promise<number>;
}
