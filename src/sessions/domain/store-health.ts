/** Whether the durable store answers and takes writes: for readiness and health probes. */
export abstract class StoreHealth {
  /**
   * Resolves with what the store is (e.g. its dialect) when it can write (a read-only file, a full
   * database or an unreachable server fail it); rejects otherwise, with the reason as the message.
   */
  abstract check(): Promise<{ dialect: string }>;
}
