import { readFileSync } from 'node:fs';
import { ServicesFile, type ServiceLogs, type ServiceSpec, type ServiceStatus } from '../../../shared/api/services';
import { AppError, notFound } from '../platform/http/errors';
import type { ServiceDriver } from './service-driver';

/**
 * The declared services and their drivers. Start-up follows `dependsOn` (the manual's service
 * startup order): a service starts only once everything it depends on reports healthy.
 */
export class ServiceManager {
  private readonly specs = new Map<string, ServiceSpec>();

  constructor(
    specs: ServiceSpec[],
    private readonly drivers: Record<string, ServiceDriver>,
  ) {
    for (const s of specs) {
      if (this.specs.has(s.name)) throw new Error(`service ${s.name} is declared twice`);
      if (!drivers[s.driver]) throw new Error(`service ${s.name}: no ${s.driver} driver available`);
      if (s.driver === 'process' && !s.command) throw new Error(`service ${s.name}: the process driver needs a command`);
      if (s.driver === 'docker' && !s.docker) throw new Error(`service ${s.name}: the docker driver needs "docker": { "project": … } or { "container": … }`);
      if (s.driver === 'kubernetes' && !s.kubernetes) throw new Error(`service ${s.name}: the kubernetes driver needs "kubernetes": { "deployment": … }`);
      if (s.replicas > s.maxReplicas) throw new Error(`service ${s.name}: replicas ${s.replicas} exceed maxReplicas ${s.maxReplicas}`);
      this.specs.set(s.name, s);
    }
    for (const s of specs) for (const d of s.dependsOn) if (!this.specs.has(d)) throw new Error(`service ${s.name} depends on unknown service ${d}`);
    this.startOrder();
  }

  /** Every declared service (the scrape targets some of them declare). */
  declared(): ServiceSpec[] {
    return [...this.specs.values()];
  }

  names(): string[] {
    return [...this.specs.keys()];
  }

  has(name: string): boolean {
    return this.specs.has(name);
  }

  spec(name: string): ServiceSpec {
    const s = this.specs.get(name);
    if (!s) throw notFound(`Service ${name}`);
    return s;
  }

  /** Dependencies first; throws on a cycle. */
  startOrder(): ServiceSpec[] {
    const order: ServiceSpec[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (name: string, path: string[]) => {
      if (state.get(name) === 'done') return;
      if (state.get(name) === 'visiting') throw new Error(`service dependency cycle: ${[...path, name].join(' → ')}`);
      state.set(name, 'visiting');
      for (const d of this.specs.get(name)!.dependsOn) visit(d, [...path, name]);
      state.set(name, 'done');
      order.push(this.specs.get(name)!);
    };
    for (const name of this.specs.keys()) visit(name, []);
    return order;
  }

  /** Starts what OpsDesk runs itself; services on an external platform (Docker, Kubernetes) are left as they are. */
  async startAll(log: (line: string) => void = () => {}): Promise<void> {
    for (const spec of this.startOrder()) {
      if (this.drivers[spec.driver]!.external) continue;
      log(`starting ${spec.name}${spec.dependsOn.length ? ` (after ${spec.dependsOn.join(', ')})` : ''}`);
      await this.drivers[spec.driver]!.start(spec, log);
    }
  }

  async restart(name: string, log?: (line: string) => void): Promise<ServiceStatus> {
    const spec = this.spec(name);
    await this.drivers[spec.driver]!.restart(spec, log);
    return this.status(name);
  }

  /** 404 for an unknown service, 422 above its maximum. */
  checkScale(name: string, replicas: number): void {
    const spec = this.spec(name);
    if (replicas > spec.maxReplicas) throw new AppError('unprocessable', `${name} can run at most ${spec.maxReplicas} replicas (asked for ${replicas})`);
  }

  async scale(name: string, replicas: number, log?: (line: string) => void): Promise<ServiceStatus> {
    this.checkScale(name, replicas);
    const spec = this.spec(name);
    await this.drivers[spec.driver]!.scale(spec, replicas, log);
    return this.status(name);
  }

  async status(name: string): Promise<ServiceStatus> {
    const spec = this.spec(name);
    return withHistory(await this.drivers[spec.driver]!.status(spec));
  }

  /** Every service; one whose platform cannot be asked (Docker down, cluster unreachable) is `unknown` with the reason. */
  async statusAll(): Promise<ServiceStatus[]> {
    return Promise.all(this.startOrder().map((s) => this.drivers[s.driver]!.status(s).then(withHistory, (err: unknown) => unknownStatus(s, err))));
  }

  async logs(name: string, lines: number): Promise<ServiceLogs> {
    const spec = this.spec(name);
    const driver = this.drivers[spec.driver]!;
    if (!driver.logs) return { name, lines: [], supported: false };
    return { name, lines: await driver.logs(spec, lines), supported: true };
  }

  /** Stops in reverse start order (only what OpsDesk runs itself). */
  async close(): Promise<void> {
    // Every service is asked to stop even when one fails; the failures are thrown together after.
    const failures: unknown[] = [];
    for (const spec of this.startOrder().reverse()) if (!this.drivers[spec.driver]!.external) await this.drivers[spec.driver]!.stop(spec).catch((err: unknown) => failures.push(err));
    for (const d of Object.values(this.drivers)) await d.close().catch((err: unknown) => failures.push(err));
    if (failures.length) throw new AggregateError(failures, `${failures.length} service(s) did not stop cleanly`);
  }
}

export function loadServiceSpecs(file: string | undefined, defaults: ServiceSpec[]): ServiceSpec[] {
  if (!file) return defaults;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`SERVICES_FILE ${file}: ${(e as Error).message}`, { cause: e });
  }
  const parsed = ServicesFile.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new Error(`SERVICES_FILE ${file}: ${i.path.join('.')}: ${i.message}`);
  }
  return parsed.data.services;
}

function unknownStatus(spec: ServiceSpec, err: unknown): ServiceStatus {
  return {
    name: spec.name,
    description: spec.description,
    driver: spec.driver,
    desiredReplicas: spec.replicas,
    maxReplicas: spec.maxReplicas,
    dependsOn: spec.dependsOn,
    health: 'unknown',
    healthMessage: `status unavailable: ${err instanceof Error ? err.message : String(err)}`,
    replicas: [],
  };
}

/** Last restart and crash from the replicas, for drivers that do not say them (process, systemd). */
function withHistory(st: ServiceStatus): ServiceStatus {
  const starts = st.replicas.map((r) => r.startedAt).filter((t): t is number => t !== null);
  const crashed = st.replicas.find((r) => (r.state === 'crashed' || r.state === 'backoff' || r.restarts > 0) && r.lastExit);
  return {
    ...st,
    lastRestartAt: st.lastRestartAt !== undefined ? st.lastRestartAt : starts.length ? Math.max(...starts) : null,
    lastCrash: st.lastCrash !== undefined ? st.lastCrash : crashed ? { at: null, message: `replica ${crashed.index} ${crashed.lastExit}` } : null,
  };
}
