import type { DataSource, DataSourceOptions } from 'typeorm';
import { DataSource as TypeOrmDataSource } from 'typeorm';
import { DatabaseSettings } from '../config/app-config';
import { dataSourceOptions } from '../database/data-source-options';
import { initializeMigrated } from '../database/open-data-source';

/** Wrong arguments: the tool says what it wants and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Exit codes of the tools: 0 done, 1 refused or failed, 2 wrong arguments. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** Runs a tool's main, printing any error as one line prefixed with the tool's name. */
export function runTool(name: string, main: () => Promise<void>): void {
  main().then(
    () => (process.exitCode = EXIT.ok),
    (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      console.error(`${name}: ${message.split('\n')[0]}`);
      process.exitCode = error instanceof UsageError ? EXIT.usage : EXIT.failed;
    },
  );
}

/**
 * A data source for a tool: the service's options, quiet, with a bounded connect on PostgreSQL so an
 * unreachable server fails instead of hanging. A target gets its schema from the migrations; a
 * source is only read, so nothing runs on it (a backup stays as it was taken, a mistyped database
 * does not get tables).
 */
export async function openStore(settings: DatabaseSettings, role: 'source' | 'target'): Promise<DataSource> {
  let dataSource: DataSource;
  try {
    const unopened = new TypeOrmDataSource(toolOptions(settings, role));
    dataSource = role === 'target' ? await initializeMigrated(unopened) : await unopened.initialize();
  } catch (error) {
    throw new Error(`cannot open the ${role} (${describeStore(settings)}): ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  if (role === 'source') await expectChatStore(dataSource, settings);
  return dataSource;
}

function toolOptions(settings: DatabaseSettings, role: 'source' | 'target'): DataSourceOptions {
  const base = dataSourceOptions(settings);
  const tool = { logging: false as const };
  if (base.type === 'postgres') return { ...base, ...tool, extra: { max: 2, connectionTimeoutMillis: 10_000 } };
  if (base.type === 'better-sqlite3') return { ...base, ...tool, enableWAL: role === 'target' };
  return base;
}

async function expectChatStore(dataSource: DataSource, settings: DatabaseSettings): Promise<void> {
  try {
    await dataSource.query('SELECT 1 FROM chat_sessions, chat_messages LIMIT 1');
  } catch (error) {
    await dataSource.destroy();
    throw new Error(`the source (${describeStore(settings)}) holds no chat store: no chat_sessions and chat_messages tables`, { cause: error });
  }
}

/** A store as the user named it, without a password. */
export function describeStore(settings: DatabaseSettings): string {
  if (settings.type === 'sqlite') return `sqlite:${settings.path}`;
  try {
    const url = new URL(settings.url);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return 'postgres://…';
  }
}
