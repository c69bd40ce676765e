import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { freePort } from './postgres-cluster';

/** A Debian Prometheus exporter (prometheus-*-exporter) on a free loopback port, started by the test. */
export interface Exporter {
  url: string;
  stop(): Promise<void>;
}

async function startExporter(bin: string, args: (port: number) => string[], env: Record<string, string> = {}): Promise<Exporter> {
  const path = `/usr/bin/${bin}`;
  if (!existsSync(path)) throw new Error(`${bin} is not installed (apt-get install ${bin})`);
  const port = await freePort();
  const child: ChildProcess = spawn(path, args(port), { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
  const url = `http://127.0.0.1:${port}/metrics`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${bin} exited with ${child.exitCode}: ${stderr}`);
    const ok = await fetch(url, { signal: AbortSignal.timeout(2000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`${bin} did not answer on ${url}: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export const startNodeExporter = () => startExporter('prometheus-node-exporter', (p) => [`--web.listen-address=127.0.0.1:${p}`]);

/** Debian's example queries: replication lag (`pg_replication_lag`) among them. */
const PG_QUERIES = '/usr/share/doc/prometheus-postgres-exporter/examples/queries.yaml';

/** Against a PostgreSQL URL (the test cluster's database). */
export const startPostgresExporter = (databaseUrl: string) =>
  startExporter('prometheus-postgres-exporter', (p) => [`--web.listen-address=127.0.0.1:${p}`, ...(existsSync(PG_QUERIES) ? [`--extend.query-path=${PG_QUERIES}`] : [])], { DATA_SOURCE_NAME: `${databaseUrl}?sslmode=disable` });

/** Against a redis:// URL (a test redis-server). */
export const startRedisExporter = (redisUrl: string) => startExporter('prometheus-redis-exporter', (p) => [`--web.listen-address=127.0.0.1:${p}`, `--redis.addr=${redisUrl}`]);

/** Debian's Prometheus itself: its own /metrics answers in OpenMetrics when asked. */
export const startPrometheus = (dataDir: string, configFile: string) =>
  startExporter('prometheus', (p) => [`--web.listen-address=127.0.0.1:${p}`, `--config.file=${configFile}`, `--storage.tsdb.path=${dataDir}`]);
