import { ManualClock } from '../src/platform/clock';
import { ADMIN, createUserAndLogin, startTestServer, type DbKind, type TestServer } from './harness';

export interface ProbeTestEnv {
  server: TestServer;
  clock: ManualClock;
  token: string;
  /** POST /probes as the admin; the answer's body. */
  create(body: Record<string, unknown>): Promise<{ status: number; body: any }>;
  /** Checks one probe now through the API and answers its state. */
  check(id: string): Promise<any>;
  /** The open alert of a probe (by its `probe` label), or undefined. */
  openAlert(name: string): Promise<any>;
}

/** A real server (loops off, a manual clock starting at the real time, since certificates expire in real time). */
export async function startProbeServer(env: Record<string, string> = {}, kind: DbKind = 'sqlite'): Promise<ProbeTestEnv> {
  const clock = new ManualClock(Date.now());
  const server = await startTestServer(kind, { clock, env: { MONITORING_LOOPS: 'false', ACCESS_TOKEN_TTL_SECONDS: '86400', ...env } });
  const { accessToken: token } = await createUserAndLogin(server, { ...ADMIN, role: 'admin' });
  return {
    server,
    clock,
    token,
    create: (body) => server.api('POST', '/api/v1/probes', { token, body }),
    async check(id) {
      const res = await server.api('POST', `/api/v1/probes/${id}/check`, { token });
      if (res.status !== 200) throw new Error(`check: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    },
    async openAlert(name) {
      const res = await server.api('GET', '/api/v1/alerts?status=firing', { token });
      return (res.body.items as any[]).find((a) => a.source === 'probe' && a.labels.probe === name);
    },
  };
}
