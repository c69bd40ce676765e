import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from './harness';

const SITE = path.join(import.meta.dirname, '../deploy/nginx-opsdesk.conf');

/**
 * Debian's nginx in the foreground on a loopback port, serving the shipped site file
 * (backend/deploy/nginx-opsdesk.conf) with its upstream servers replaced by the given ones.
 */
export async function startNginx(options: { port: number; upstream: string[] }): Promise<{ url: string; stop(): Promise<void> }> {
  const dir = tempDir('opsdesk-nginx-');
  for (const d of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(path.join(dir, d));
  const site = readFileSync(SITE, 'utf8')
    .replace(/upstream opsdesk_backend \{[\s\S]*?keepalive/, `upstream opsdesk_backend {\n${options.upstream.map((s) => `    server ${s};`).join('\n')}\n    keepalive`)
    .replace('listen 80;', `listen 127.0.0.1:${options.port};`);
  if (site.includes('backend-1:8000')) throw new Error('the shipped site file changed shape: its upstream block was not replaced');
  writeFileSync(path.join(dir, 'site.conf'), site);
  writeFileSync(
    path.join(dir, 'nginx.conf'),
    [
      process.getuid?.() === 0 ? 'user root;' : '',
      'daemon off;',
      'worker_processes 1;',
      `pid ${dir}/nginx.pid;`,
      `error_log ${dir}/error.log warn;`,
      'events { worker_connections 1024; }',
      'http {',
      '  access_log off;',
      ...['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((d) => `  ${d === 'body' ? 'client_body' : d}_temp_path ${dir}/${d};`),
      `  include ${dir}/site.conf;`,
      '}',
    ].join('\n'),
  );
  const child: ChildProcess = spawn('nginx', ['-p', dir, '-c', path.join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const url = `http://127.0.0.1:${options.port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${stderr}`);
    // Refused or 502 until nginx and a backend answer.
    const up = await fetch(`${url}/livez`).then(
      (r) => r.status < 500,
      () => false,
    );
    if (up) break;
    if (Date.now() > deadline) throw new Error(`nginx did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGQUIT');
      }),
  };
}
