// `npm run host`: the desktop core in plain Node, serving the renderer to any browser on 127.0.0.1.
//   --server <url>     use this OpsDesk server (else the UI offers a local workspace, i.e. the embedded backend)
//   --port <n>         port for the page and the bridge (default 5180; 0 picks a free one)
//   --data-dir <dir>   the app data folder (default ~/.opsdesk-host)
//   --renderer <dir>   the built renderer (default out/renderer-web)
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { toPublicProfile } from '../core/profiles/profile-store';
import { probeServer } from '../core/profiles/server-probe';
import { APP_ROOT, createHostCore } from './create-host-core';
import { startHost } from './host-server';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      server: { type: 'string' },
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      renderer: { type: 'string' },
    },
  });
  const server = values.server ?? process.env.OPSDESK_SERVER_URL;
  const dataDir = path.resolve(values['data-dir'] ?? process.env.OPSDESK_DATA_DIR ?? path.join(os.homedir(), '.opsdesk-host'));
  const port = Number(values.port ?? process.env.OPSDESK_HOST_PORT ?? 5180);
  const rendererDir = path.resolve(values.renderer ?? path.join(APP_ROOT, 'out', 'renderer-web'));

  const { core } = await createHostCore({ dataDir });
  if (server) {
    const base = await probeServer(server).catch((err: Error) => {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    });
    const existing = core.profiles.list().find((p) => p.kind === 'server' && p.url === base);
    const profile = existing ?? core.profiles.add({ name: new URL(base).host, kind: 'server', url: base }, Date.now());
    core.profiles.setActive(profile.id);
    process.stdout.write(`Server profile: ${toPublicProfile(profile).name} (${base})\n`);
  }
  await core.start();
  const notices = await core.dispatch('app.notices', undefined);
  if (notices.ok) for (const n of notices.value as { message: string }[]) process.stdout.write(`Notice: ${n.message}\n`);
  const host = await startHost({ core, rendererDir, port });
  process.stdout.write(`OpsDesk host ready. Open:\n  ${host.openUrl}\n`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await host.close();
    await core.shutdown();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  process.stderr.write(`OpsDesk host failed to start: ${(err as Error).message}\n`);
  process.exit(1);
});
