import type { ServiceSpec, ServiceStatus } from '../../../../shared/api/services';
import type { ContainerInspect } from './docker-api';

export const PROJECT_LABEL = 'com.docker.compose.project';
export const SERVICE_LABEL = 'com.docker.compose.service';
export const NUMBER_LABEL = 'com.docker.compose.container-number';

type Replica = ServiceStatus['replicas'][number];

const time = (iso: string): number | null => {
  const t = Date.parse(iso);
  // Docker answers 0001-01-01T00:00:00Z for "never".
  return Number.isFinite(t) && t > 0 ? t : null;
};

export const containerName = (c: ContainerInspect): string => c.Name.replace(/^\//, '');
export const containerNumber = (c: ContainerInspect): number => Number(c.Config.Labels?.[NUMBER_LABEL] ?? 0) || 0;

/** Compose order: by container number, then by creation (a plain container has number 0). */
export function byNumber(a: ContainerInspect, b: ContainerInspect): number {
  return containerNumber(a) - containerNumber(b) || Date.parse(a.Created) - Date.parse(b.Created);
}

/** One container as a replica: its state, its HEALTHCHECK verdict, restarts, last exit. */
export function replicaOf(c: ContainerInspect, index: number): Replica {
  const s = c.State;
  const health = s.Running ? ((s.Health?.Status as Replica['health'] | undefined) ?? 'none') : undefined;
  let state: Replica['state'];
  if (s.Status === 'running') state = health === 'starting' ? 'starting' : 'running';
  else if (s.Status === 'created') state = 'starting';
  else if (s.Status === 'restarting') state = 'backoff';
  else if (s.Status === 'removing') state = 'stopping';
  else state = s.ExitCode !== 0 || s.Status === 'dead' ? 'crashed' : 'stopped';
  const finished = time(s.FinishedAt);
  return {
    index,
    pid: null,
    id: c.Id.slice(0, 12),
    image: c.Config.Image,
    health,
    state,
    startedAt: s.Running ? time(s.StartedAt) : null,
    restarts: c.RestartCount,
    lastExit: finished === null ? null : `exited with ${s.ExitCode}${s.Error ? ` (${s.Error})` : ''} at ${s.FinishedAt}`,
  };
}

/** The service's verdict from its containers: every desired replica running and passing its health check. */
export function statusOf(spec: ServiceSpec, containers: ContainerInspect[], desired: number, maxReplicas: number): ServiceStatus {
  const replicas = containers.map((c, i) => replicaOf(c, containerNumber(c) || i + 1));
  const up = replicas.filter((r) => r.state === 'running' && (r.health === 'none' || r.health === 'healthy'));
  const failing = replicas.filter((r) => r.state === 'crashed' || r.state === 'stopped' || r.state === 'backoff' || r.health === 'unhealthy');
  let health: ServiceStatus['health'];
  if (desired === 0 && up.length === 0) health = 'stopped';
  else if (failing.length > 0 || (replicas.length < desired && !replicas.some((r) => r.state === 'starting'))) health = 'unhealthy';
  else health = up.length >= desired ? 'healthy' : 'starting';
  const images = [...new Set(replicas.map((r) => r.image))].join(', ');
  const problems = failing.map((r) => `${containerName(containers[replicas.indexOf(r)]!)} ${r.health === 'unhealthy' ? 'unhealthy' : r.state}`);
  const crashes = containers
    .map((c) => ({ c, at: time(c.State.FinishedAt) }))
    .filter(({ c }) => c.State.Health?.Status === 'unhealthy' || c.State.ExitCode !== 0 || c.RestartCount > 0)
    .sort((a, b) => (b.at ?? 0) - (a.at ?? 0));
  const crash = crashes[0];
  const starts = replicas.map((r) => r.startedAt).filter((t): t is number => t !== null);
  return {
    name: spec.name,
    description: spec.description,
    driver: 'docker',
    desiredReplicas: desired,
    maxReplicas,
    dependsOn: spec.dependsOn,
    health,
    healthMessage: `${up.length}/${desired} running${problems.length ? `; ${problems.join(', ')}` : ''}${images ? `; ${images}` : ''}`,
    replicas,
    lastRestartAt: starts.length ? Math.max(...starts) : null,
    lastCrash: crash ? { at: crash.at, message: crashMessage(crash.c) } : null,
  };
}

function crashMessage(c: ContainerInspect): string {
  const name = containerName(c);
  if (c.State.Health?.Status === 'unhealthy') {
    const out = c.State.Health.Log?.at(-1)?.Output.trim();
    return `${name} failed its health check${out ? `: ${out.slice(0, 200)}` : ''}`;
  }
  if (c.State.ExitCode !== 0) return `${name} exited with ${c.State.ExitCode}${c.RestartCount ? ` after ${c.RestartCount} restart(s)` : ''}`;
  return `${name} restarted ${c.RestartCount} time(s)`;
}

/**
 * The create body that makes another replica of `tpl` (what compose does from the service's
 * definition): same config and host config, its own number, the daemon's own hostname.
 */
export function cloneBody(tpl: ContainerInspect, number: number | null): Record<string, unknown> {
  const labels = { ...(tpl.Config.Labels ?? {}) };
  if (number !== null) labels[NUMBER_LABEL] = String(number);
  const config: Record<string, unknown> = { ...tpl.Config, Labels: labels };
  if (tpl.Config.Hostname === tpl.Id.slice(0, 12)) delete config.Hostname;
  const mode = tpl.HostConfig.NetworkMode ?? 'default';
  const network = tpl.NetworkSettings.Networks?.[mode];
  const builtin = ['default', 'bridge', 'host', 'none'].includes(mode) || mode.startsWith('container:');
  const endpoints = !builtin && network ? { [mode]: { Aliases: (network.Aliases ?? []).filter((a) => a !== tpl.Id.slice(0, 12)) } } : {};
  return { ...config, HostConfig: tpl.HostConfig, NetworkingConfig: { EndpointsConfig: endpoints } };
}
