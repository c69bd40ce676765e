import { utilityProcess } from 'electron';
import type { Launcher } from '../../core/embedded/launcher';

/**
 * The embedded backend in Electron: a utility process (Electron's own Node, sandboxed from the
 * window, no ELECTRON_RUN_AS_NODE needed). A utility process has no stdin, so the one input goes as
 * a message, which the entry reads from process.parentPort (setup/first-admin.ts).
 */
export const utilityLauncher: Launcher = (entry, options) => {
  const child = utilityProcess.fork(entry, [], { cwd: options.cwd, env: options.env, stdio: 'pipe', serviceName: 'OpsDesk backend' });
  let exited = false;
  child.once('exit', () => (exited = true));
  return {
    get pid() {
      return child.pid;
    },
    stdout: child.stdout,
    stderr: child.stderr,
    exited: () => exited,
    send: (input) => child.postMessage(input),
    // A utility process is asked to stop with SIGTERM; there is no harder signal to send it.
    kill: () => void child.kill(),
    onExit: (listener) => {
      child.once('exit', (code) => listener(code, null));
    },
  };
};
