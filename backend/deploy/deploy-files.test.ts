import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { ROUTES } from '../../shared/api/routes';
import { compiledEntry } from '../../shared/backend-entries';
import { startTestServer } from '../test-support/harness';

const here = import.meta.dirname;
const read = (f: string) => readFileSync(path.join(here, f), 'utf8');

/**
 * The deployment files as far as this machine can take them: no container registry (so no base
 * image, no `docker build`) and no Kubernetes API server. What can run, runs: systemd's own
 * verifier, the probes against a real server, and every cross-reference between the files.
 */
describe('deployment files', () => {
  it('the systemd unit passes systemd-analyze verify and is hardened', () => {
    const r = spawnSync('systemd-analyze', ['verify', path.join(here, 'opsdesk-backend.service')], { encoding: 'utf8' });
    expect(r.error, 'systemd-analyze is part of systemd (Debian)').toBeUndefined();
    expect(r.stderr + r.stdout).toBe('');
    expect(r.status).toBe(0);
    const unit = read('opsdesk-backend.service');
    for (const line of ['User=opsdesk', 'NoNewPrivileges=yes', 'ProtectSystem=strict', 'ReadWritePaths=/var/lib/opsdesk', 'Environment=NODE_ENV=production DATA_DIR=/var/lib/opsdesk']) expect(unit).toContain(line);
    expect(unit).toContain(`ExecStart=/usr/bin/node /opt/opsdesk/${compiledEntry('main')}`);
  });

  it('the Kubernetes probes are the server\'s /readyz and /livez, and both answer', async () => {
    const docs = parseAllDocuments(read('kubernetes/opsdesk.yaml')).map((d) => d.toJS());
    const deployment = docs.find((d) => d.kind === 'Deployment');
    const container = deployment.spec.template.spec.containers[0];
    expect([container.readinessProbe.httpGet.path, container.livenessProbe.httpGet.path]).toEqual(['/readyz', '/livez']);
    expect(container.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
    expect(deployment.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
    const server = await startTestServer('sqlite');
    try {
      for (const probe of ['/readyz', '/livez']) expect((await server.api('GET', probe)).status).toBe(200);
    } finally {
      await server.dispose();
    }
  });

  it('compose, nginx, Prometheus and Alertmanager name each other and the routes correctly', () => {
    const compose = parse(read('compose.yaml'));
    const backends = Object.keys(compose.services).filter((s) => s.startsWith('backend-'));
    expect(backends).toEqual(['backend-1', 'backend-2']);
    for (const b of backends) expect(compose.services[b].volumes).toEqual(['opsdesk-data:/data']);
    const site = read('nginx-opsdesk.conf');
    for (const b of backends) expect(site).toContain(`server ${b}:8000`);
    expect(site).toMatch(/proxy_set_header Upgrade \$http_upgrade/);
    expect(site).toMatch(/X-Forwarded-For \$proxy_add_x_forwarded_for/);
    const mounted = compose.services.nginx.volumes[0].split(':')[0];
    expect(existsSync(path.join(here, mounted))).toBe(true);
    const targets = parse(read('prometheus.yml')).scrape_configs[0].static_configs[0].targets;
    expect(targets).toEqual(backends.map((b) => `${b}:8000`));
    const webhook = parse(read('alertmanager.yml')).receivers[0].webhook_configs[0].url;
    expect(new URL(webhook).pathname).toBe(`/api/v1${ROUTES['integrations.alertmanager'].path}`);
  });

  it('the image runs the compiled backend as a non-root user with a liveness health check', () => {
    const dockerfile = read('Dockerfile');
    expect(dockerfile).toMatch(/^FROM node:24-\S+ AS build$/m);
    expect(dockerfile).toContain('RUN npm run build:backend');
    expect(dockerfile).toContain(`CMD ["node", "${compiledEntry('main')}"]`);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/HEALTHCHECK[\s\S]*\/livez/);
  });
});
