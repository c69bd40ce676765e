import { rmSync } from 'node:fs';
import { io, type Socket } from 'socket.io-client';
import { ManualClock } from '../src/platform/clock';
import { startServer } from '../src/app/server';
import { ADMIN, createUserAndLogin, makeApiCaller, startTestServer, type DbKind, type TestServer } from './harness';

export interface MonitoringTestEnv {
  server: TestServer;
  clock: ManualClock;
  admin: { id: string; accessToken: string };
  oncall: { id: string; accessToken: string };
  /** An API token with the alerts:ingest and heartbeat scopes. */
  ingestToken: string;
}

/** A real server with a manual clock and the background loops off: tests drive collect/evaluate/tick. */
export async function startMonitoringServer(kind: DbKind, env: Record<string, string> = {}): Promise<MonitoringTestEnv> {
  const clock = new ManualClock(Date.UTC(2026, 0, 5, 12, 0, 0));
  const server = await startTestServer(kind, { clock, env: { MONITORING_LOOPS: 'false', ACCESS_TOKEN_TTL_SECONDS: '86400', ...env } });
  const admin = await createUserAndLogin(server, { ...ADMIN, role: 'admin' });
  const oncall = await createUserAndLogin(server, { email: 'oncall@example.com', password: 'tangerine-falcon-7731', role: 'oncall', name: 'Omar Oncall' });
  const token = await server.api('POST', '/api/v1/api-tokens', { token: admin.accessToken, body: { name: 'ingest', scopes: ['alerts:ingest', 'heartbeat'] } });
  if (token.status !== 201) throw new Error(`token: ${token.status} ${JSON.stringify(token.body)}`);
  return { server, clock, admin, oncall, ingestToken: token.body.token as string };
}

/**
 * Stops the server and starts a new one on the same database (DATA_DIR or PostgreSQL database) and
 * clock, as a backend restart does; users and tokens carry over.
 */
export async function restartMonitoringServer(env: MonitoringTestEnv, whileDown?: () => void): Promise<MonitoringTestEnv> {
  const config = env.server.config;
  await env.server.stop();
  whileDown?.();
  const running = await startServer(config, { clock: env.clock });
  const server: TestServer = {
    ...running,
    config,
    api: makeApiCaller(running.url),
    async dispose() {
      await running.stop();
      rmSync(config.DATA_DIR, { recursive: true, force: true });
    },
  };
  return { ...env, server };
}

/**
 * The monitoring services of a running server, with the rounds the background loops run
 * (collect, evaluate, tick, idle): tests drive them with the loops off.
 */
export function monitoringOf(server: Pick<TestServer, 'services'>) {
  const s = server.services;
  const r = s.monitoringRounds;
  return {
    store: s.metricStore,
    collectors: s.collectors,
    silences: s.silences,
    alerts: s.alerts,
    rules: s.rules,
    evaluator: s.evaluator,
    notifier: s.notifier,
    escalator: s.escalator,
    heartbeats: s.heartbeats,
    incidents: s.incidents,
    reports: s.reports,
    init: () => r.init(),
    collect: () => r.collect(),
    collectAndEvaluate: () => r.collectAndEvaluate(),
    tick: () => r.tick(),
    idle: () => r.idle(),
  };
}

/** The on-call user's live socket, recording every event of `types` into `sink`; resolves once the server says ready. */
export async function recordLiveEvents(env: MonitoringTestEnv, types: string[], sink: { type: string; event: any }[]): Promise<Socket> {
  const socket = io(env.server.url, { auth: { token: env.oncall.accessToken }, transports: ['websocket'] });
  for (const type of types) socket.on(type, (event: unknown) => sink.push({ type, event }));
  await new Promise<void>((resolve, reject) => {
    socket.once('ready', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}
