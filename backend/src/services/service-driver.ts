import type { ServiceSpec, ServiceStatus } from '../../../shared/api/services';

/**
 * One way of running services. `process` supervises OS processes here; `systemd` drives units via
 * systemctl; Docker and Kubernetes drivers implement the same five operations.
 */
export interface ServiceDriver {
  readonly name: string;
  /** Starts the service at its declared replica count; resolves once healthy (or throws). */
  start(spec: ServiceSpec, log?: (line: string) => void): Promise<void>;
  stop(spec: ServiceSpec, log?: (line: string) => void): Promise<void>;
  /** Graceful stop then start. */
  restart(spec: ServiceSpec, log?: (line: string) => void): Promise<void>;
  scale(spec: ServiceSpec, replicas: number, log?: (line: string) => void): Promise<void>;
  status(spec: ServiceSpec): Promise<ServiceStatus>;
  /** Stop everything this driver owns (backend shutdown). */
  close(): Promise<void>;
}
