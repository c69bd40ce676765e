import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type SqliteDatabase from 'better-sqlite3';

/**
 * WAL checkpoints off the event loop. SQLite's automatic checkpoint runs inside the commit that
 * takes the WAL past `wal_autocheckpoint` pages: that commit copies the WAL into the database and
 * fsyncs it on the event loop (measured: the alert ingest's commits 2–3× slower than without).
 * With a checkpointer the writer's automatic checkpoint becomes a backstop at BACKSTOP_PAGES, and
 * a worker thread with its own connection runs a PASSIVE checkpoint every INTERVAL_MS (it never
 * waits for, nor blocks, the writer or a reader; with nothing new in the WAL it costs nothing). If
 * the thread fails, the writer checkpoints by itself again, as before.
 */
const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (err) {
    parentPort.postMessage({ error: err.message });
  }
}, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export const INTERVAL_MS = 200;
/** 40 MiB of WAL at 4 KiB pages: reached only if the thread falls behind or stopped. */
export const BACKSTOP_PAGES = 10_000;
const DEFAULT_AUTOCHECKPOINT = 1000;

export interface Checkpointer {
  stop(): Promise<void>;
}

export function startCheckpointer(writer: SqliteDatabase.Database, file: string, onError: (err: Error) => void): Checkpointer {
  const module = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(SOURCE, { eval: true, workerData: { module, file, intervalMs: INTERVAL_MS } });
  // Never what keeps a process (a CLI command, a test) alive.
  worker.unref();
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  writer.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
  let stopped = false;
  const fallBack = (err: Error) => {
    if (!stopped && writer.open) writer.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT}`);
    onError(err);
  };
  worker.on('message', (m: { error?: string }) => {
    if (m.error) onError(new Error(`WAL checkpoint failed: ${m.error}`));
  });
  worker.on('error', (err) => fallBack(err));
  worker.on('exit', (code) => {
    if (!stopped) fallBack(new Error(`the WAL checkpoint thread exited (${code}); the writer checkpoints by itself again`));
  });
  return {
    async stop() {
      if (stopped) return;
      stopped = true;
      // Held until it exits: an unref'd worker's exit alone would let the process end here,
      // before whatever runs after the database closes (a CLI command's answer and exit code).
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
