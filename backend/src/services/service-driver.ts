import type { ServiceSpec, ServiceStatus } from '../../../shared/api/services';

export interface ServiceLogLine {
  /** Replica id (container name, pod name). */
  replica: string;
  line: string;
}

/**
 * One way of running services. `process` supervises OS processes here; `systemd` drives units via
 * systemctl; `docker` drives containers through the Engine API; `kubernetes` drives Deployments.
 */
export interface ServiceDriver {
  readonly name: string;
  /**
   * The platform runs the service whether or not OpsDesk does (dockerd, the kubelet): the backend
   * neither starts it at boot nor stops it at shutdown, it only observes and operates on it.
   */
  readonly external?: boolean;
  /** Starts the service at its declared replica count; resolves once healthy (or throws). */
  start(spec: ServiceSpec, log?: (line: string) => void): Promise<void>;
  stop(spec: ServiceSpec, log?: (line: string) => void): Promise<void>;
  /** Graceful stop then start. */
  restart(spec: ServiceSpec, log?: (line: string) => void): Promise<void>;
  scale(spec: ServiceSpec, replicas: number, log?: (line: string) => void): Promise<void>;
  status(spec: ServiceSpec): Promise<ServiceStatus>;
  /** The last lines each replica wrote, oldest first, where the driver can read them. */
  logs?(spec: ServiceSpec, lines: number): Promise<ServiceLogLine[]>;
  /** Stop everything this driver owns (backend shutdown). */
  close(): Promise<void>;
}

/** Polls `status` until healthy (or, at 0 replicas, stopped); throws with the last message at the deadline. */
export async function waitUntilHealthy(driver: ServiceDriver, spec: ServiceSpec, desired: number, log: (line: string) => void, pollMs = 250): Promise<ServiceStatus> {
  const deadline = Date.now() + spec.startTimeoutMs;
  for (;;) {
    const st = await driver.status(spec);
    if (st.health === 'healthy' || (desired === 0 && st.health === 'stopped')) {
      log(`${spec.name}: ${st.healthMessage ?? st.health}`);
      return st;
    }
    if (Date.now() > deadline) throw new Error(`${spec.name} did not become healthy within ${spec.startTimeoutMs} ms (${st.healthMessage})`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** Lines that lead with an RFC 3339 timestamp, merged across replicas into one order; the last `n`. */
export function lastByTime(lines: ServiceLogLine[], n: number): ServiceLogLine[] {
  return lines.sort((a, b) => (a.line < b.line ? -1 : a.line > b.line ? 1 : 0)).slice(-n);
}
