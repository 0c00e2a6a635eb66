import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { DataSource } from 'typeorm';
import { DatabaseSettings } from '../config/app-config';
import { ConfigError, loadDatabaseLimits, parseDatabaseUrl } from '../config/load-config';
import { copyStore, CopyProgress } from '../database/copy/store-copy';
import { describeStore, openStore, runTool, UsageError } from './cli-support';

const USAGE = 'usage: copy-store --from <sqlite:path | postgres://…> --to <sqlite:path | postgres://…> [--force]';
const PROGRESS_EVERY_MS = 1000;

/**
 * Copies a whole store to another (SQLite or PostgreSQL, either way): accounts, API key hashes,
 * sessions with their owners, messages, settings and summaries. Refuses a non-empty target unless
 * --force, which replaces its contents in the same transaction.
 */
async function main(): Promise<void> {
  const { from, to, force } = readArguments(process.argv.slice(2));
  if (from.type === 'sqlite' && !existsSync(from.path)) throw new Error(`the source ${from.path} does not exist`);
  if (describeStore(from) === describeStore(to)) throw new UsageError('--from and --to name the same store');
  const started = Date.now();
  let source: DataSource | undefined;
  let target: DataSource | undefined;
  try {
    source = await openStore(from, 'source');
    target = await openStore(to, 'target');
    console.error(`copy-store: ${describeStore(from)} -> ${describeStore(to)}`);
    const done = await copyStore(source, target, { force, onProgress: throttled((p) => console.error(progressLine(p, started))) });
    console.error(`${progressLine(done, started)}: done`);
  } finally {
    await source?.destroy();
    await target?.destroy();
  }
}

function readArguments(args: string[]): { from: DatabaseSettings; to: DatabaseSettings; force: boolean } {
  let values: { from?: string; to?: string; force?: boolean };
  try {
    ({ values } = parseArgs({ args, options: { from: { type: 'string' }, to: { type: 'string' }, force: { type: 'boolean' } } }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}; ${USAGE}`);
  }
  if (!values.from || !values.to) throw new UsageError(USAGE);
  try {
    const limits = loadDatabaseLimits();
    return {
      from: { ...parseDatabaseUrl(values.from, '--from'), limits },
      to: { ...parseDatabaseUrl(values.to, '--to'), limits },
      force: values.force ?? false,
    };
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message.replace(/^Invalid configuration: /, ''));
    throw error;
  }
}

function progressLine(p: CopyProgress, started: number): string {
  const seconds = (Date.now() - started) / 1000;
  const rate = Math.round((p.sessions + p.messages) / Math.max(seconds, 0.001));
  return `copy-store: ${p.sessions}/${p.totalSessions} sessions, ${p.messages}/${p.totalMessages} messages, ${seconds.toFixed(1)} s, ${rate} rows/s`;
}

/** At most one call per second, so a large copy reports steadily and a small one stays quiet. */
function throttled(report: (p: CopyProgress) => void): (p: CopyProgress) => void {
  let last = Date.now();
  return (p) => {
    if (Date.now() - last < PROGRESS_EVERY_MS) return;
    last = Date.now();
    report(p);
  };
}

runTool('copy-store', main);
