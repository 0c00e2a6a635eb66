import { Worker } from 'node:worker_threads';

const INTERVAL_MS = 250;

/**
 * Moves SQLite's WAL checkpoints (and their fsync) off the event loop: a worker thread with its own
 * connection runs a PASSIVE checkpoint every 250 ms, which never blocks the writer. The main
 * connection keeps a high auto-checkpoint as a safety net should the worker ever stop.
 */
export class SqliteCheckpointer {
  private worker?: Worker;

  start(path: string): void {
    const source = `
      const Database = require(${JSON.stringify(require.resolve('better-sqlite3'))});
      const { workerData, parentPort } = require('node:worker_threads');
      const db = new Database(workerData.path, { timeout: 5000 });
      const timer = setInterval(() => {
        try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* busy: the next round will do */ }
      }, workerData.intervalMs);
      parentPort.on('message', () => { clearInterval(timer); db.close(); process.exit(0); });
    `;
    this.worker = new Worker(source, { eval: true, workerData: { path, intervalMs: INTERVAL_MS } });
    this.worker.unref();
  }

  async stop(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.worker = undefined;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage('stop');
    await exited;
  }
}
