import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { DockerApi } from '../src/services/docker/docker-api';
import { NUMBER_LABEL, PROJECT_LABEL, SERVICE_LABEL } from '../src/services/docker/docker-status';
import { tempDir } from './harness';

const run = promisify(execFile);
export const TEST_IMAGE = 'opsdesk-busybox:test';
const BUSYBOX = ['/bin/busybox', '/usr/bin/busybox'].find((p) => existsSync(p));

export interface Dockerd {
  socket: string;
  api: DockerApi;
  stop(): Promise<void>;
}

/**
 * Debian's dockerd on its own data root and socket under a temp dir (no iptables, no bridge, so
 * it clashes with nothing), with one local image made by `docker import` of a root filesystem
 * holding busybox-static: no registry is needed. Answers null (after saying why, loudly) only
 * when dockerd cannot run here at all: not installed, or not root.
 */
export async function startDockerd(): Promise<Dockerd | null> {
  const missing = ['dockerd', 'docker'].filter((b) => !['/usr/sbin', '/usr/bin', '/usr/local/bin'].some((d) => existsSync(path.join(d, b))));
  const why = process.getuid?.() !== 0 ? 'dockerd needs root' : missing.length ? `${missing.join(', ')} not installed (apt-get install -y docker.io)` : !BUSYBOX ? 'busybox not installed (apt-get install -y busybox-static)' : null;
  if (why) {
    console.error(`\n*** SKIPPING the Docker driver tests: ${why} ***\n`);
    return null;
  }
  const dir = tempDir('odk-');
  const socket = path.join(dir, 'docker.sock');
  const child: ChildProcess = spawn(
    'dockerd',
    ['--iptables=false', '--ip-masq=false', '--bridge=none', '--data-root', path.join(dir, 'data'), '--exec-root', path.join(dir, 'x'), '--pidfile', path.join(dir, 'dockerd.pid'), '-H', `unix://${socket}`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  // A test process that dies without stop() takes its dockerd with it.
  const orphan = () => child.kill('SIGTERM');
  process.once('exit', orphan);
  const fail = (message: string) => {
    child.kill('SIGTERM');
    return new Error(message);
  };
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const api = new DockerApi(socket);
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw fail(`dockerd exited with ${child.exitCode}: ${stderr}`);
    const up = existsSync(socket) && (await api.ping().then(() => true, () => false));
    if (up) break;
    if (Date.now() > deadline) throw fail(`dockerd did not answer within 30 s: ${stderr}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const rootfs = path.join(dir, 'rootfs');
  mkdirSync(path.join(rootfs, 'bin'), { recursive: true });
  mkdirSync(path.join(rootfs, 'tmp'), { recursive: true });
  copyFileSync(BUSYBOX!, path.join(rootfs, 'bin/busybox'));
  for (const applet of ['sh', 'sleep', 'echo', 'cat', 'true', 'false', 'date', 'touch', 'test']) symlinkSync('busybox', path.join(rootfs, 'bin', applet));
  await run('tar', ['-C', rootfs, '-cf', path.join(dir, 'rootfs.tar'), '.']);
  await run('docker', ['import', path.join(dir, 'rootfs.tar'), TEST_IMAGE], { env: { ...process.env, DOCKER_HOST: `unix://${socket}` } });
  return {
    socket,
    api,
    stop: async () => {
      process.removeListener('exit', orphan);
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A replica that logs, stops promptly on SIGTERM, and (with `healthy: false`) fails its health check. */
export const REPLICA_SCRIPT = 'echo "replica $(cat /etc/hostname) up"; trap "echo stopping; exit 0" TERM; while :; do sleep 1 & wait $!; done';

/** What `docker compose up -d` makes for a service: numbered containers with the compose labels. */
export async function composeUp(api: DockerApi, project: string, service: string, replicas: number, options: { healthy?: boolean; script?: string; healthTest?: string[] } = {}): Promise<string[]> {
  const test = options.healthTest ?? (options.healthy === undefined ? undefined : ['CMD', options.healthy ? '/bin/true' : '/bin/false']);
  const ids: string[] = [];
  for (let n = 1; n <= replicas; n++) {
    const { Id } = await api.create(`${project}-${service}-${n}`, {
      Image: TEST_IMAGE,
      Cmd: ['/bin/sh', '-c', options.script ?? REPLICA_SCRIPT],
      Labels: { [PROJECT_LABEL]: project, [SERVICE_LABEL]: service, [NUMBER_LABEL]: String(n) },
      Healthcheck: test ? { Test: test, Interval: 200_000_000, Timeout: 1_000_000_000, Retries: 1, StartPeriod: 0 } : undefined,
      HostConfig: { NetworkMode: 'none' },
    });
    await api.start(Id);
    ids.push(Id);
  }
  return ids;
}
