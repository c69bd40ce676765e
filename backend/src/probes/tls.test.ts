import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selfSignedCertificate, startHttps, type Certificate, type LocalHttp } from '../../test-support/probe-servers';
import { startProbeServer, type ProbeTestEnv } from '../../test-support/probes';

let env: ProbeTestEnv;
let fiveDays: Certificate;
let fiveDayServer: LocalHttp & { port: number };

beforeAll(async () => {
  env = await startProbeServer();
  fiveDays = selfSignedCertificate(5);
  fiveDayServer = await startHttps(fiveDays);
});
afterAll(async () => {
  await fiveDayServer.close();
  await env.server.dispose();
});

const DAY = 86_400_000;

describe('TLS certificate probes (openssl certificates, local HTTPS servers)', () => {
  it('a certificate expiring in 5 days raises a critical alert; the expiry is a metric', async () => {
    const p = await env.create({ name: 'api cert', kind: 'tls', target: `localhost:${fiveDayServer.port}`, caPem: fiveDays.certPem, severity: 'high' });
    expect(p.status).toBe(201);
    const checked = await env.check(p.body.id);
    expect(checked.state).toBe('up');
    expect(checked.tlsExpiresAt - Date.now()).toBeGreaterThan(4 * DAY);
    expect(checked.tlsExpiresAt - Date.now()).toBeLessThan(5 * DAY + 60_000);
    const expiry = env.server.services.metricStore.current('probe_tls_expiry_seconds', 60_000).find((s) => s.labels.probe === 'api cert');
    expect(expiry!.value).toBeGreaterThan(4 * 86_400);
    expect(expiry!.value).toBeLessThanOrEqual(5 * 86_400 + 60);
    const alert = await env.openAlert('api cert');
    expect(alert).toMatchObject({ name: 'TLS certificate: api cert', severity: 'critical', annotations: expect.objectContaining({ level: 'critical' }) });
    expect(alert.summary).toMatch(/expires in [45] days/);
  });

  it('an https HTTP probe records the expiry too and warns under 30 days; 40 days is quiet', async () => {
    const twenty = selfSignedCertificate(20);
    const forty = selfSignedCertificate(40);
    const s20 = await startHttps(twenty);
    const s40 = await startHttps(forty);
    try {
      const warn = await env.create({ name: 'web 20d', kind: 'http', target: `https://localhost:${s20.port}/`, caPem: twenty.certPem, keyword: 'secure' });
      expect((await env.check(warn.body.id)).state).toBe('up');
      expect(await env.openAlert('web 20d')).toMatchObject({ severity: 'medium', annotations: expect.objectContaining({ level: 'warning' }) });
      const quiet = await env.create({ name: 'tls 40d', kind: 'tls', target: `127.0.0.1:${s40.port}`, caPem: forty.certPem });
      const checked = await env.check(quiet.body.id);
      expect(checked.state).toBe('up');
      expect(Math.round((checked.tlsExpiresAt - Date.now()) / DAY)).toBe(40);
      expect(await env.openAlert('tls 40d')).toBeUndefined();
      // Lowering the warning threshold below the days left resolves the warning.
      await env.server.api('PATCH', `/api/v1/probes/${warn.body.id}`, { token: env.token, body: { warningDays: 10 } });
      await env.check(warn.body.id);
      expect(await env.openAlert('web 20d')).toBeUndefined();
    } finally {
      await s20.close();
      await s40.close();
    }
  });

  it('an untrusted chain is a critical certificate error and the probe is down', async () => {
    const p = await env.create({ name: 'untrusted', kind: 'tls', target: `localhost:${fiveDayServer.port}`, severity: 'low' });
    const checked = await env.check(p.body.id);
    expect(checked.state).toBe('down');
    expect(checked.lastError).toMatch(/certificate not trusted: .*self-signed/i);
    expect(await env.openAlert('untrusted')).toMatchObject({ severity: 'critical', name: 'Probe down: untrusted' });
  });

  it('a host name the certificate does not cover is a certificate error (raised at once, even with retries)', async () => {
    const p = await env.create({ name: 'wrong host', kind: 'tls', target: `127.0.0.1:${fiveDayServer.port}`, serverName: 'shop.example.test', caPem: fiveDays.certPem, retries: 3 });
    const checked = await env.check(p.body.id);
    expect(checked.state).toBe('pending');
    expect(checked.lastError).toMatch(/certificate does not match shop\.example\.test/);
    expect(await env.openAlert('wrong host')).toMatchObject({ severity: 'critical', name: 'TLS certificate: wrong host', annotations: expect.objectContaining({ level: 'certificate-error' }) });
    const https = await env.create({ name: 'https by ip', kind: 'http', target: `https://127.0.0.1:${fiveDayServer.port}/`, caPem: selfSignedCertificate(5, 'other.test').certPem });
    expect((await env.check(https.body.id)).lastError).toMatch(/certificate not trusted/);
  });
});
