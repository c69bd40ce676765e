import { spawn } from 'node:child_process';
import net from 'node:net';
import type { ServiceHealthSpec } from '../../../shared/api/services';

/** One health probe as the manual lists them (pg_isready, redis-cli ping, /health/). */
export async function probe(spec: ServiceHealthSpec, timeoutMs = 2000): Promise<{ ok: boolean; message: string }> {
  switch (spec.kind) {
    case 'running':
      return { ok: true, message: 'running' };
    case 'tcp':
      return new Promise((resolve) => {
        const socket = net.connect({ host: spec.host, port: spec.port });
        const done = (ok: boolean, message: string) => {
          socket.destroy();
          resolve({ ok, message });
        };
        socket.setTimeout(timeoutMs, () => done(false, `no answer on ${spec.host}:${spec.port}`));
        socket.once('connect', () => done(true, `${spec.host}:${spec.port} accepts connections`));
        socket.once('error', (e: NodeJS.ErrnoException) => done(false, `${spec.host}:${spec.port}: ${e.code ?? e.message}`));
      });
    case 'http':
      try {
        const res = await fetch(spec.url, { signal: AbortSignal.timeout(timeoutMs) });
        return { ok: res.ok, message: `${spec.url} answered ${res.status}` };
      } catch (e) {
        return { ok: false, message: `${spec.url}: ${(e as Error).message}` };
      }
    case 'command':
      return new Promise((resolve) => {
        const child = spawn(spec.argv[0]!, spec.argv.slice(1), { stdio: 'ignore', shell: false });
        const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
        child.on('error', (e) => {
          clearTimeout(timer);
          resolve({ ok: false, message: `${spec.argv[0]}: ${e.message}` });
        });
        child.on('exit', (code) => {
          clearTimeout(timer);
          resolve({ ok: code === 0, message: `${spec.argv.join(' ')} exited with ${code}` });
        });
      });
  }
}
