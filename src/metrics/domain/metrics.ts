/**
 * Instruments bound to their labels once: recording on one looks nothing up and builds nothing,
 * so the turn path pays a few additions per measurement.
 */
export interface Timing {
  /** Records one duration, in seconds. */
  observe(seconds: number): void;
}

export interface Count {
  inc(by?: number): void;
}

/** What one model (by provider and name) is measured by. */
export interface ModelMeters {
  /** The whole call, from the request to the last piece. */
  readonly latency: Timing;
  /** From the request to the first streamed piece. */
  readonly firstToken: Timing;
  readonly tokensIn: Count;
  readonly tokensOut: Count;
  /** Failed calls, by the error's code. */
  failed(code: string): Count;
}

/** The statements the database runs, by kind. */
export type QueryKind = 'read' | 'write' | 'transaction';

export interface HeldWindows {
  readonly windows: number;
  readonly bytes: number;
}

/**
 * The service's measurements, as the core and the adapters record them. Every method returns
 * instruments its caller keeps; calling it again with the same labels returns the same ones.
 */
export abstract class Metrics {
  /** Turns by memory strategy and outcome (`stop`, `length`, or the error code), with their duration. */
  abstract turn(strategy: string, outcome: string): Timing;
  abstract model(provider: string, model: string): ModelMeters;
  abstract query(kind: QueryKind): Timing;
  abstract queryFailed(kind: QueryKind): Count;
  /** Time spent waiting for a lock before the work under it starts. */
  abstract lockWait(lock: string): Timing;
  /** Read at each scrape: the memory windows this instance holds. */
  abstract watchHeldWindows(read: () => HeldWindows): void;
  /** Run at each scrape: whether the readiness checks pass. */
  abstract watchReadiness(check: () => Promise<boolean>): void;
}

/** Seconds since `start`, a `performance.now()` reading. */
export function secondsSince(start: number): number {
  return (performance.now() - start) / 1000;
}
