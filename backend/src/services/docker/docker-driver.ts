import type { DockerTarget, ServiceSpec, ServiceStatus } from '../../../../shared/api/services';
import { MemoryDesiredStore, type DesiredStore } from '../desired-store';
import { waitUntilHealthy, type ServiceDriver, type ServiceLogLine, lastByTime } from '../service-driver';
import { DockerApi, DockerApiError, type ContainerInspect } from './docker-api';
import { byNumber, cloneBody, containerName, containerNumber, PROJECT_LABEL, SERVICE_LABEL, statusOf } from './docker-status';

type Log = (line: string) => void;
const quiet: Log = () => {};
/** A replica this operation started: its output is followed into the job log until the service settles. */
interface Fresh {
  id: string;
  since: number;
}
/** After the service is healthy, how long the last lines in flight may take to arrive. */
const FLUSH_MS = 300;

/**
 * Services as Docker containers, through the Engine API on the local socket. A compose service is
 * every container labelled with its project and service; a plain service is one named container.
 * Restart recreates each replica in turn (graceful stop, then a new container from the same
 * definition: new ids); scale creates replicas from the service's definition and removes the
 * newest first, as `docker compose up -d --scale` does; at 0 the first replica is kept, stopped,
 * as the definition to scale up from (compose would remove it and need the compose file again).
 */
export class DockerDriver implements ServiceDriver {
  readonly name = 'docker';
  readonly external = true;
  readonly api: DockerApi;

  /** `desired` keeps what the platform cannot say: scaled to 0 on purpose. */
  constructor(
    socketPath: string,
    private readonly desired: DesiredStore = new MemoryDesiredStore(),
  ) {
    this.api = new DockerApi(socketPath);
  }

  private target(spec: ServiceSpec): DockerTarget {
    if (!spec.docker) throw new Error(`service ${spec.name}: the docker driver needs "docker": { "project" } or { "container" }`);
    return spec.docker;
  }

  /** The service's containers, inspected, in compose order. */
  async containers(spec: ServiceSpec): Promise<ContainerInspect[]> {
    const t = this.target(spec);
    if (t.container) {
      try {
        return [await this.api.inspect(t.container)];
      } catch (e) {
        if (e instanceof DockerApiError && e.status === 404) return [];
        throw e;
      }
    }
    const list = await this.api.list([`${PROJECT_LABEL}=${t.project}`, `${SERVICE_LABEL}=${t.service ?? spec.name}`]);
    const all = await Promise.all(list.map((c) => this.api.inspect(c.Id)));
    return all.sort(byNumber);
  }

  private stopSeconds(spec: ServiceSpec): number {
    return Math.max(1, Math.ceil(spec.stopTimeoutMs / 1000));
  }

  async status(spec: ServiceSpec): Promise<ServiceStatus> {
    const t = this.target(spec);
    const containers = await this.containers(spec);
    // As many replicas as there are containers, unless OpsDesk scaled it to 0 and nothing has started it since.
    const anyRunning = containers.some((c) => c.State.Running);
    const desired = !anyRunning && (await this.desired.get(spec.name)) === 0 ? 0 : containers.length;
    return statusOf(spec, containers, desired, t.container ? Math.min(1, spec.maxReplicas) : spec.maxReplicas);
  }

  async start(spec: ServiceSpec, log: Log = quiet): Promise<void> {
    const containers = await this.containers(spec);
    if (containers.length === 0) throw new Error(`${spec.name}: no container to start (create it with docker compose up first)`);
    const fresh: Fresh[] = [];
    for (const c of containers) if (!c.State.Running) fresh.push(await this.startContainer(c.Id, containerName(c), log));
    await this.desired.set(spec.name, this.name, containers.length);
    await this.settle(spec, containers.length, fresh, log);
  }

  async stop(spec: ServiceSpec, log: Log = quiet): Promise<void> {
    for (const c of (await this.containers(spec)).reverse()) await this.stopContainer(spec, c, log);
    await this.desired.set(spec.name, this.name, 0);
  }

  async restart(spec: ServiceSpec, log: Log = quiet): Promise<void> {
    const containers = await this.containers(spec);
    if (containers.length === 0) throw new Error(`${spec.name} has no containers to restart`);
    if (!containers.some((c) => c.State.Running) && (await this.desired.get(spec.name)) === 0) throw new Error(`${spec.name} is scaled to 0; scale it up instead of restarting it`);
    log(`recreating ${containers.length} container(s) of ${spec.name} one at a time (stop timeout ${this.stopSeconds(spec)} s)`);
    const fresh: Fresh[] = [];
    for (const c of containers) {
      await this.removeReplica(spec, c, log);
      fresh.push(await this.createFrom(c, containerName(c), c.Config.Labels?.['com.docker.compose.container-number'] ? containerNumber(c) : null, log));
    }
    await this.desired.set(spec.name, this.name, containers.length);
    await this.settle(spec, containers.length, fresh, log);
  }

  async scale(spec: ServiceSpec, replicas: number, log: Log = quiet): Promise<void> {
    const t = this.target(spec);
    if (t.container) {
      if (replicas > 1) throw new Error(`${spec.name} is the single container ${t.container}; scale it to 0 or 1, or declare it as a compose service`);
      return replicas === 0 ? this.stop(spec, log) : this.start(spec, log);
    }
    const containers = await this.containers(spec);
    if (replicas === 0) {
      if (containers.length === 0) return log(`${spec.name} has no containers`);
      const [keep, ...rest] = containers;
      log(`scaling ${spec.name} to 0: removing ${rest.map(containerName).join(', ') || 'no other replica'} (newest first), keeping ${containerName(keep!)} stopped as the definition`);
      for (const c of rest.reverse()) await this.removeReplica(spec, c, log);
      await this.stopContainer(spec, keep!, log);
      return this.desired.set(spec.name, this.name, 0);
    }
    const fresh: Fresh[] = [];
    for (const c of containers.slice(0, replicas)) if (!c.State.Running) fresh.push(await this.startContainer(c.Id, containerName(c), log));
    if (replicas > containers.length) {
      const tpl = containers[0];
      if (!tpl) throw new Error(`${spec.name} has no container to copy its definition from; run docker compose up once`);
      let next = Math.max(0, ...containers.map(containerNumber));
      const service = t.service ?? spec.name;
      log(`scaling ${spec.name} from ${containers.length} to ${replicas}: ${replicas - containers.length} new replica(s) of ${tpl.Config.Image}`);
      for (let i = containers.length; i < replicas; i++) {
        next++;
        fresh.push(await this.createFrom(tpl, `${t.project}-${service}-${next}`, next, log));
      }
    } else if (replicas < containers.length) {
      const surplus = containers.slice(replicas).reverse();
      log(`scaling ${spec.name} from ${containers.length} to ${replicas}: removing ${surplus.map(containerName).join(', ')} (newest first)`);
      for (const c of surplus) await this.removeReplica(spec, c, log);
    } else log(`${spec.name} already has ${replicas} replica(s)`);
    await this.desired.set(spec.name, this.name, replicas);
    await this.settle(spec, replicas, fresh, log);
  }

  async logs(spec: ServiceSpec, lines: number): Promise<ServiceLogLine[]> {
    const out: ServiceLogLine[] = [];
    for (const c of await this.containers(spec)) for (const line of await this.api.logs(c.Id, lines)) out.push({ replica: containerName(c), line });
    return lastByTime(out, lines);
  }

  async close(): Promise<void> {}

  private async createFrom(tpl: ContainerInspect, name: string, number: number | null, log: Log): Promise<Fresh> {
    const { Id } = await this.api.create(name, cloneBody(tpl, number));
    return this.startContainer(Id, name, log);
  }

  private async removeReplica(spec: ServiceSpec, c: ContainerInspect, log: Log): Promise<void> {
    await this.stopContainer(spec, c, log);
    await this.api.remove(c.Id);
  }

  private async startContainer(id: string, name: string, log: Log): Promise<Fresh> {
    const since = Date.now();
    await this.api.start(id);
    log(`started ${name} (${id.slice(0, 12)})`);
    return { id, since };
  }

  private async stopContainer(spec: ServiceSpec, c: ContainerInspect, log: Log): Promise<void> {
    if (!c.State.Running) return;
    const started = Date.now();
    await this.api.stop(c.Id, this.stopSeconds(spec));
    log(`stopped ${containerName(c)} (${c.Id.slice(0, 12)}) in ${Date.now() - started} ms`);
  }

  /** Waits for health, streaming the output of the replicas it started into the job log meanwhile. */
  private async settle(spec: ServiceSpec, desired: number, fresh: Fresh[], log: Log): Promise<void> {
    const followers = fresh.map((f) => {
      const tag = f.id.slice(0, 12);
      return this.api.follow(f.id, f.since, (line) => log(`[${tag}] ${line}`), (e) => log(`(output of ${tag} not followed: ${e.message})`));
    });
    try {
      await waitUntilHealthy(this, spec, desired, log);
      if (followers.length) await new Promise((r) => setTimeout(r, FLUSH_MS));
    } finally {
      for (const f of followers) f.stop();
    }
  }
}
