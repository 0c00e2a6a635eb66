/** Whether the durable store answers: for readiness and health probes. */
export abstract class StoreHealth {
  /** Resolves with what the store is (e.g. its dialect) when it answers; rejects otherwise. */
  abstract check(): Promise<{ dialect: string }>;
}
