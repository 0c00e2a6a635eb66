import Database from 'better-sqlite3';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CopyError } from './store-copy';

export interface BackupResult {
  readonly sessions: number;
  readonly messages: number;
  readonly bytes: number;
}

/**
 * A consistent snapshot of a live SQLite store in `targetPath`. `VACUUM INTO` runs as one read
 * transaction, so it sees a single committed state and, in WAL mode, never blocks the service's
 * writers (the online backup API instead restarts whenever another connection writes). The snapshot
 * is written beside the target, checked, flushed to disk and renamed into place, so a crash never
 * leaves a half-written file under the target's name.
 */
export function backupSqlite(sourcePath: string, targetPath: string, force = false): BackupResult {
  if (!existsSync(sourcePath)) throw new CopyError(`the store ${sourcePath} does not exist`);
  if (resolve(sourcePath) === resolve(targetPath)) throw new CopyError('the backup would overwrite the store itself');
  if (!force && existsSync(targetPath)) throw new CopyError(`${targetPath} already exists: pass --force to overwrite it`);
  mkdirSync(dirname(resolve(targetPath)), { recursive: true });
  const partial = `${targetPath}.partial-${process.pid}`;
  rmSync(partial, { force: true });
  try {
    const source = new Database(sourcePath, { fileMustExist: true, timeout: 5000 });
    try {
      source.prepare('VACUUM INTO ?').run(partial);
    } finally {
      source.close();
    }
    const counts = checkSnapshot(partial);
    flushToDisk(partial);
    if (!force && existsSync(targetPath)) throw new CopyError(`${targetPath} appeared during the backup: pass --force to overwrite it`);
    renameSync(partial, targetPath);
    flushToDisk(dirname(resolve(targetPath)));
    return { ...counts, bytes: statSync(targetPath).size };
  } finally {
    rmSync(partial, { force: true });
  }
}

function checkSnapshot(path: string): { sessions: number; messages: number } {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new CopyError(`the snapshot failed its check: ${String(check)}`);
    return db.prepare('SELECT (SELECT COUNT(*) FROM chat_sessions) AS sessions, (SELECT COUNT(*) FROM chat_messages) AS messages').get() as {
      sessions: number;
      messages: number;
    };
  } finally {
    db.close();
  }
}

/** VACUUM INTO does not fsync its output; a backup that lives only in the page cache is not one. */
function flushToDisk(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
