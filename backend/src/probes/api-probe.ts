import type { HealthCheck } from '../health/health-checks';
import { runCheck, type CheckOutcome } from './checks';

const PING = '/api/v1/metrics/ping';

/**
 * The built-in "API down" check: an HTTP probe of the public URL (PUBLIC_URL, or the address the
 * server listens on), run by the monitoring round like any probe, outside the request path. The
 * `api` health check (and so `health_up{check="api"}` and the API-down rule) reports its last
 * result instead of the process calling itself while it answers /health.
 */
export class ApiProbe {
  private url: string | null;
  private last: CheckOutcome | null = null;

  constructor(
    publicUrl: string | undefined,
    private readonly timeoutMs: number,
  ) {
    this.url = publicUrl ? publicUrl.replace(/\/+$/, '') + PING : null;
  }

  /** The listening address, used when no PUBLIC_URL is configured. */
  listeningAt(baseUrl: string): void {
    this.url ??= baseUrl + PING;
  }

  get target(): string | null {
    return this.url;
  }

  async check(): Promise<void> {
    if (!this.url) return;
    this.last = await runCheck({
      kind: 'http',
      target: this.url,
      timeoutMs: this.timeoutMs,
      secret: null,
      settings: { method: 'GET', expectedStatus: '200-299', keyword: null, keywordMode: 'present', followRedirects: true, headers: {}, authType: 'none', authUsername: null, serverName: null, caPem: null, warningDays: 30, criticalDays: 7, recordType: 'A', expectedAnswer: null, dnsServer: null },
    });
  }

  healthCheck(): HealthCheck {
    return async () => {
      const last = this.last;
      if (!last) return { status: 'degraded', message: `not probed yet (${this.url ?? 'no URL'})` };
      return { status: last.success ? 'ok' : 'down', message: last.success ? undefined : `${this.url}: ${last.message ?? 'failed'}` };
    };
  }
}
