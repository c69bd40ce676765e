import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The backend's own Prometheus metrics. One registry per app instance, so several servers in one
 * test process never collide.
 */
export class ServerMetrics {
  readonly registry = new Registry();
  readonly httpDuration = new Histogram({
    name: 'opsdesk_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
    registers: [this.registry],
  });
  readonly httpRequests = new Counter({
    name: 'opsdesk_http_requests_total',
    help: 'HTTP requests by route and status',
    labelNames: ['method', 'route', 'status_code'] as const,
    registers: [this.registry],
  });
  readonly httpErrors = new Counter({
    name: 'opsdesk_http_errors_total',
    help: 'HTTP responses with a 5xx status',
    labelNames: ['method', 'route', 'status_code'] as const,
    registers: [this.registry],
  });
  readonly activeRequests = new Gauge({
    name: 'opsdesk_http_active_requests',
    help: 'Requests being served now',
    registers: [this.registry],
  });
  readonly dbQueryDuration = new Histogram({
    name: 'opsdesk_db_query_duration_seconds',
    help: 'Database query duration',
    labelNames: ['outcome'] as const,
    buckets: [0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
    registers: [this.registry],
  });
  readonly connectedSockets = new Gauge({
    name: 'opsdesk_socket_connections',
    help: 'Connected socket.io clients',
    registers: [this.registry],
  });
  readonly slowSocketsDropped = new Counter({
    name: 'opsdesk_socket_slow_clients_dropped_total',
    help: 'Socket.io clients disconnected because they fell too far behind (they reconnect and resume from their cursor)',
    registers: [this.registry],
  });

  /** Failed rounds of background loops (platform/lifecycle.ts), by loop name. */
  readonly backgroundFailures = new Counter({
    name: 'opsdesk_background_failures_total',
    help: 'Failures of background work (loops, schedules, fire-and-forget tasks) by loop name',
    labelNames: ['loop'] as const,
    registers: [this.registry],
  });

  constructor() {
    // Event-loop lag, process memory and CPU come from prom-client's default collectors.
    collectDefaultMetrics({ register: this.registry, prefix: 'opsdesk_' });
  }

  observeQuery(durationMs: number, failed: boolean): void {
    this.dbQueryDuration.observe({ outcome: failed ? 'error' : 'ok' }, durationMs / 1000);
  }
}
