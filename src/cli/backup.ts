import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, loadDotEnv } from '../config/load-config';
import { backupSqlite } from '../database/copy/sqlite-backup';
import { runTool, UsageError } from './cli-support';

const USAGE = 'usage: backup --to <file> [--force]';

/** Snapshots the configured SQLite store (DATABASE_URL) while the service keeps running. */
async function main(): Promise<void> {
  const { to, force } = readArguments(process.argv.slice(2));
  loadDotEnv();
  let database;
  try {
    ({ database } = loadConfig());
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
  if (database.type === 'postgres') {
    throw new UsageError('DATABASE_URL is PostgreSQL: back it up with pg_dump (pg_dump --format=custom --file=chat.dump "$DATABASE_URL"; see the README)');
  }
  const started = Date.now();
  const result = backupSqlite(database.path, to, force);
  const mib = (result.bytes / 1_048_576).toFixed(1);
  console.error(`backup: ${database.path} -> ${to}: ${result.sessions} sessions, ${result.messages} messages, ${mib} MiB in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

function readArguments(args: string[]): { to: string; force: boolean } {
  let values: { to?: string; force?: boolean };
  try {
    ({ values } = parseArgs({ args, options: { to: { type: 'string' }, force: { type: 'boolean' } } }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}; ${USAGE}`);
  }
  if (!values.to) throw new UsageError(USAGE);
  return { to: values.to, force: values.force ?? false };
}

runTool('backup', main);
