import { statfs } from 'node:fs/promises';
import type { HealthCheckResult, HealthReport } from '../../../shared/api/health';

export type HealthCheck = () => Promise<Omit<HealthCheckResult, 'latencyMs' | 'name'>>;

const CHECK_TIMEOUT_MS = 3000;

async function timed(name: string, check: HealthCheck): Promise<HealthCheckResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const result = await Promise.race([
      check(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    return { name, ...result, latencyMs: Math.round((performance.now() - started) * 100) / 100 };
  } catch (err) {
    return { name, status: 'down', message: (err as Error).message, latencyMs: Math.round(performance.now() - started) };
  } finally {
    clearTimeout(timer);
  }
}

/** Named checks run together; the report is `down` if any check is down. Later issues add checks. */
export class HealthChecks {
  private readonly checks = new Map<string, HealthCheck>();
  private readonly startedAt = Date.now();
  private latest: { at: number; report: HealthReport } | null = null;
  private readonly lastErrors = new Map<string, { message: string; at: number }>();

  constructor(private readonly version: string) {}

  register(name: string, check: HealthCheck): void {
    this.checks.set(name, check);
  }

  uptimeSeconds(): number {
    return Math.round((Date.now() - this.startedAt) / 1000);
  }

  async run(): Promise<HealthReport> {
    const checks = await Promise.all([...this.checks].map(([name, check]) => timed(name, check)));
    const status = checks.some((c) => c.status === 'down') ? 'down' : checks.some((c) => c.status === 'degraded') ? 'degraded' : 'ok';
    const at = Date.now();
    for (const c of checks) if (c.status !== 'ok') this.lastErrors.set(c.name, { message: c.message ?? c.status, at });
    this.latest = { at, report: { status, version: this.version, uptimeSeconds: this.uptimeSeconds(), checks } };
    return this.latest.report;
  }

  /** The last report (the collection round runs the checks every interval) and when it ran. */
  last(): { at: number; report: HealthReport } | null {
    return this.latest;
  }

  /** Each check's last failure (message and time), kept after it recovers. */
  lastError(name: string): { message: string; at: number } | null {
    return this.lastErrors.get(name) ?? null;
  }
}

/** Free space under a folder: degraded below 10 % free (the manual's low-disk alert), down below 2 %. */
export function storageCheck(dir: string): HealthCheck {
  return async () => {
    const s = await statfs(dir);
    const freePct = (s.bavail / s.blocks) * 100;
    const message = `${freePct.toFixed(1)}% free (${Math.round((s.bavail * s.bsize) / 1024 / 1024)} MiB)`;
    return { status: freePct < 2 ? 'down' : freePct < 10 ? 'degraded' : 'ok', message };
  };
}
