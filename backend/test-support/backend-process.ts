import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The line main.ts logs once the server is up and its start hooks ran (jobs left running marked
 * interrupted, loops started). Fastify's own "Server listening at" comes before those hooks.
 */
export const READY_LINE = 'OpsDesk backend listening';

export interface BackendProcess {
  child: ChildProcess;
  lines: string[];
  exited: Promise<number | null>;
}

/** The real backend process (backend/src/main.ts) on `dataDir`; its log lines collect as they come. */
export function backendProcess(dataDir: string, env: Record<string, string>): BackendProcess {
  const lines: string[] = [];
  const child = spawn(process.execPath, ['--import', 'tsx', 'backend/src/main.ts'], {
    cwd: root,
    env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'info', MONITORING_LOOPS: 'false', OPS_SCHEDULERS: 'false', JOB_WORKERS: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let buf = '';
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    const parts = buf.split('\n');
    buf = parts.pop() ?? '';
    lines.push(...parts);
  });
  child.stderr!.on('data', (d: Buffer) => lines.push(d.toString()));
  return { child, lines, exited: new Promise((r) => child.once('exit', (code) => r(code))) };
}
