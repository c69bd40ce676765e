import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { compiledEntry, type BackendEntry } from '../../../shared/backend-entries';
import { CoreError } from '../errors';
import { childProcessLauncher, type LaunchedProcess, type Launcher } from './launcher';
import { silentLogger, type Logger } from '../ports';

export interface EmbeddedServerOptions {
  /** Where out/backend lives (repository root in development, the app's resources when packaged). */
  appRoot: string;
  /** The backend's DATA_DIR, inside the app's data folder. */
  dataDir: string;
  /** How to start a compiled entry. Default: a child process of this Node. */
  launcher?: Launcher;
  healthTimeoutMs?: number;
  minRestartDelayMs?: number;
  maxRestartDelayMs?: number;
  logger?: Logger;
  extraEnv?: Record<string, string>;
}

/**
 * The local workspace's backend as a child process on 127.0.0.1 with its data in the app's data
 * folder. Waits for /health/, restarts with backoff when it crashes, stops cleanly on quit.
 * Events: 'started' (url), 'crashed' ({ code, signal }), 'restarted' (url), 'stopped', 'error' (Error).
 */
export class EmbeddedServer extends EventEmitter {
  private child: LaunchedProcess | null = null;
  private port = 0;
  private stopping = false;
  private restarts = 0;
  private restartTimer: NodeJS.Timeout | null = null;
  private output: string[] = [];

  constructor(private readonly options: EmbeddedServerOptions) {
    super();
  }

  get url(): string | null {
    return this.child && this.port ? `http://127.0.0.1:${this.port}` : null;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  private launch(name: BackendEntry, env: NodeJS.ProcessEnv, input = false): LaunchedProcess {
    // The data folder as cwd, not the app root: packaged, that is app.asar, a file.
    return (this.options.launcher ?? childProcessLauncher())(this.entry(name), { env, cwd: this.options.dataDir, input });
  }

  /** The compiled entry (npm run build:backend); a missing build is said plainly, not as a crash loop. */
  private entry(name: BackendEntry): string {
    const file = path.join(this.options.appRoot, compiledEntry(name));
    if (!existsSync(file)) throw new CoreError('internal', `The backend is not built (${file} is missing): run npm run build:backend`);
    return file;
  }

  /**
   * First run: creates the admin account with the password the user chose (through stdin, never
   * argv). Answers false when the workspace already had users.
   */
  async createFirstAdmin(admin: { email: string; name: string; password: string }): Promise<boolean> {
    mkdirSync(this.options.dataDir, { recursive: true });
    const child = this.launch('first-admin', { ...process.env, ...this.options.extraEnv, DATA_DIR: this.options.dataDir, LOG_LEVEL: 'silent' }, true);
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout?.resume();
    const code = await new Promise<number | null>((resolve) => {
      child.onExit((c) => resolve(c));
      child.send(JSON.stringify(admin));
    });
    if (code === 0) return true;
    if (code === 3) return false;
    throw new CoreError(code === 2 ? 'validation_failed' : 'internal', stderr.trim() || `first-run setup failed (exit ${code})`);
  }

  async start(): Promise<string> {
    this.stopping = false;
    if (this.child) return this.url!;
    if (!this.port) this.port = await freePort();
    await this.spawnAndWait();
    this.emit('started', this.url);
    return this.url!;
  }

  private async spawnAndWait(): Promise<void> {
    mkdirSync(this.options.dataDir, { recursive: true });
    if (!(await portFree(this.port))) this.port = await freePort();
    this.output = [];
    const child = this.launch('main', {
        ...process.env,
        LOG_LEVEL: 'warn',
        ...this.options.extraEnv,
        DATA_DIR: this.options.dataDir,
        HOST: '127.0.0.1',
        PORT: String(this.port),
        DATABASE_URL: '',
        REDIS_URL: '',
        // Jobs run inside the embedded backend. It starts no job-worker processes: in the desktop it is
        // an Electron utility process, whose process.execPath is the app itself, not a Node.
        JOB_WORKERS: '0',
        // Every query on the writer: one person's workspace has no concurrent heavy reads for reader
        // threads to take off the event loop, and threads loading the native module from the app
        // archive inside a utility process cannot be tried without Electron.
        SQLITE_READERS: '0',
    });
    this.child = child;
    const keep = (d: Buffer) => {
      this.output.push(d.toString());
      if (this.output.length > 50) this.output.shift();
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.onExit((code, signal) => this.onExit(child, code, signal));
    const ok = await this.waitForHealth(child);
    if (!ok) {
      child.kill(true);
      throw new CoreError('internal', `The embedded backend did not become healthy: ${this.output.join('').slice(-2000)}`);
    }
  }

  private async waitForHealth(child: LaunchedProcess): Promise<boolean> {
    const deadline = Date.now() + (this.options.healthTimeoutMs ?? 120_000);
    while (Date.now() < deadline) {
      if (child.exited()) return false;
      try {
        const res = await fetch(`http://127.0.0.1:${this.port}/health/`, { signal: AbortSignal.timeout(2000) });
        if (res.status === 200 || res.status === 503) {
          const body = (await res.json()) as { status?: string; version?: string };
          if (typeof body.status === 'string') return true;
        }
      } catch {
        /* not listening yet */
      }
      await new Promise((r) => setTimeout(r, 150));
    }
    return false;
  }

  private onExit(child: LaunchedProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.child !== child) return;
    this.child = null;
    if (this.stopping) {
      this.emit('stopped');
      return;
    }
    (this.options.logger ?? silentLogger).warn('embedded backend exited; restarting', { code, signal });
    this.emit('crashed', { code, signal });
    const min = this.options.minRestartDelayMs ?? 500;
    const delay = Math.min(min * 2 ** this.restarts++, this.options.maxRestartDelayMs ?? 30_000);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      if (this.stopping) return;
      this.spawnAndWait().then(
        () => {
          this.restarts = 0;
          this.emit('restarted', this.url);
        },
        (err: unknown) => this.emit('error', err),
      );
    }, delay);
  }

  /** SIGTERM, then SIGKILL after the grace period. */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    const child = this.child;
    if (!child) return;
    const exited = new Promise<void>((resolve) => child.onExit(() => resolve()));
    child.kill();
    const timer = setTimeout(() => child.kill(true), graceMs);
    await exited;
    clearTimeout(timer);
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}
