/** Whether what the instances share (locks, job guards, rate limits) can be reached. */
export abstract class CoordinationHealth {
  /** Resolves with what backs coordination; throws when it cannot be reached. */
  abstract probe(): Promise<{ store: string }>;
}
