import { spawn } from 'node:child_process';

/** A started backend entry, whichever way it was started. */
export interface LaunchedProcess {
  readonly pid: number | undefined;
  readonly stdout: NodeJS.ReadableStream | null;
  readonly stderr: NodeJS.ReadableStream | null;
  /** Whether it has exited (the exit listeners have been or are being called). */
  exited(): boolean;
  /** Sends the entry its one input (stdin for a child process; a message for an Electron utility process). */
  send(input: string): void;
  /** Asks it to stop (SIGTERM); `force` kills it. */
  kill(force?: boolean): void;
  onExit(listener: (code: number | null, signal: NodeJS.Signals | null) => void): void;
}

export interface LaunchOptions {
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Whether the entry reads an input (first-admin setup does). */
  input?: boolean;
}

/** Starts a compiled backend entry (out/backend/<name>.js). */
export type Launcher = (entry: string, options: LaunchOptions) => LaunchedProcess;

/**
 * A child process of a Node binary: the browser host and tests (this Node), or any command given.
 * The Electron app uses its utility-process launcher instead (electron/main/adapters).
 */
export function childProcessLauncher(command: string = process.execPath, args: string[] = []): Launcher {
  return (entry, options) => {
    const child = spawn(command, [...args, entry], { cwd: options.cwd, env: options.env, stdio: [options.input ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    let exited = false;
    child.once('exit', () => (exited = true));
    return {
      pid: child.pid,
      stdout: child.stdout,
      stderr: child.stderr,
      exited: () => exited || child.exitCode !== null || child.signalCode !== null,
      send: (input) => child.stdin?.end(input),
      kill: (force) => child.kill(force ? 'SIGKILL' : 'SIGTERM'),
      onExit: (listener) => {
        child.once('exit', listener);
      },
    };
  };
}
