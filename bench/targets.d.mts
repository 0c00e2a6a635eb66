// Types of bench/targets.mjs, for the TypeScript tests that check it.
export interface TargetRow {
  what: string;
  target: string;
  measured: string;
  verdict: 'met' | 'missed' | 'reported' | 'not run' | 'invalid';
}
export interface RouteScaling {
  name: string;
  smallP50: number;
  largeP50: number;
}
export interface PruneRun {
  sessions: number;
  seconds: number;
  p99: number;
  requests: number;
  errors: number;
}
export interface Measurements {
  turns?: { turnRps: number; liveRps: number; errors?: number };
  floor?: { turnRps: number; errors?: number };
  postgres?: { turnRps: number; pgbenchTps: number; errors?: number };
  scale?: { sqlite?: RouteScaling[]; postgres?: RouteScaling[]; largeLabel?: string };
  prune?: { sqlite?: PruneRun; postgres?: PruneRun };
  ttft?: { addedP50: number; addedP95: number };
  memory?: { windows: number; rssMb: number };
}
export interface Machine {
  cpu: string;
  cores: number;
  ramGiB: number | null;
}
export const SCALING_LIMIT: number;
export const LATENCY_LIMIT_MS: number;
export const PRUNE_P99_LIMIT_MS: number;
export function percentile(samples: readonly number[], p: number): number;
export function targetRows(m: Measurements): TargetRow[];
export function markdownTable(header: readonly string[], rows: readonly (readonly unknown[])[]): string;
export function machineFrom(cpuinfo: string, meminfo: string): Machine;
export function resultsMarkdown(input: { date: string; machine: Machine; versions: Record<string, string>; settings: string; rows: readonly TargetRow[]; quick: boolean }): string;
