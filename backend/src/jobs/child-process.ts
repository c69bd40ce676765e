import { spawn } from 'node:child_process';
import type { LogStream } from './job-log-writer';

export interface SpawnOptions {
  env?: Record<string, string>;
  cwd?: string;
  signal: AbortSignal;
  /** How long SIGTERM gets before SIGKILL once the signal aborts. */
  graceMs: number;
  log: (stream: LogStream, line: string) => boolean;
  drained: () => Promise<void>;
}

export interface ChildResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** True when we stopped it (cancel or timeout); `forced` when SIGKILL was needed. */
  stopped: boolean;
  forced: boolean;
}

/** What a runbook child inherits from the backend: the basics a program needs, never its secrets. */
export const INHERITED_ENV = ['PATH', 'HOME', 'USER', 'LOGNAME', 'LANG', 'LANGUAGE', 'TZ', 'TMPDIR', 'TERM', 'SHELL'];

export function childEnv(own: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && (INHERITED_ENV.includes(k) || k.startsWith('LC_'))) env[k] = v;
  return { ...env, ...own };
}

/**
 * Runs argv directly (never through a shell), streaming stdout and stderr line by line into the job
 * log with back-pressure. On abort the whole process group gets SIGTERM, then SIGKILL after the grace.
 */
export function runChild(argv: string[], options: SpawnOptions): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    if (options.signal.aborted) return resolve({ exitCode: null, signal: null, stopped: true, forced: false });
    const [file, ...args] = argv;
    const child = spawn(file!, args, {
      cwd: options.cwd,
      env: childEnv(options.env),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      shell: false,
    });
    let stopped = false;
    let forced = false;
    let killTimer: NodeJS.Timeout | undefined;
    const killGroup = (sig: NodeJS.Signals) => {
      try {
        if (child.pid) process.kill(-child.pid, sig);
      } catch (err) {
        // ESRCH: the group is already gone (the usual case once the job exited); else into the job's log.
        if ((err as NodeJS.ErrnoException).code !== 'ESRCH') options.log('err', `opsdesk: ${sig} to the job's process group failed: ${(err as Error).message}`);
      }
    };
    const onAbort = () => {
      stopped = true;
      killGroup('SIGTERM');
      killTimer = setTimeout(() => {
        forced = true;
        killGroup('SIGKILL');
      }, options.graceMs);
    };
    options.signal.addEventListener('abort', onAbort, { once: true });

    const pump = (stream: NodeJS.ReadableStream, name: LogStream) => {
      let rest = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        const text = rest + chunk;
        const parts = text.split('\n');
        rest = parts.pop() ?? '';
        let ok = true;
        for (const p of parts) ok = options.log(name, p.endsWith('\r') ? p.slice(0, -1) : p) && ok;
        if (!ok) {
          stream.pause();
          void options.drained().then(() => stream.resume());
        }
      });
      return new Promise<void>((done) =>
        stream.on('end', () => {
          if (rest) options.log(name, rest);
          done();
        }),
      );
    };
    const ends = Promise.all([pump(child.stdout!, 'out'), pump(child.stderr!, 'err')]);
    child.on('error', (err) => {
      options.signal.removeEventListener('abort', onAbort);
      clearTimeout(killTimer);
      reject(new Error(`cannot start ${file}: ${(err as NodeJS.ErrnoException).code ?? err.message}`));
    });
    child.on('exit', (exitCode, signal) => {
      options.signal.removeEventListener('abort', onAbort);
      clearTimeout(killTimer);
      // Reap anything the job left behind in its group.
      killGroup('SIGKILL');
      void ends.then(() => resolve({ exitCode, signal, stopped, forced }));
    });
  });
}
