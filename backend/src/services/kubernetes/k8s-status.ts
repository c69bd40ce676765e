import type { V1Deployment, V1LabelSelector, V1Pod } from '@kubernetes/client-node';
import type { ServiceSpec, ServiceStatus } from '../../../../shared/api/services';

export const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';
type Replica = ServiceStatus['replicas'][number];

/** The strategic-merge patch `kubectl rollout restart` sends: a new template annotation, so every pod is replaced. */
export function restartPatch(now: Date): Record<string, unknown> {
  return { spec: { template: { metadata: { annotations: { [RESTARTED_AT]: now.toISOString().replace(/\.\d{3}Z$/, 'Z') } } } } };
}

/** The merge patch of the scale subresource `kubectl scale` sends. */
export const scalePatch = (replicas: number) => ({ spec: { replicas } });

/** A label selector as the list API's `labelSelector` string (matchLabels and matchExpressions). */
export function selectorString(sel: V1LabelSelector | undefined): string {
  const parts = Object.entries(sel?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of sel?.matchExpressions ?? []) {
    const values = (e.values ?? []).join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${values})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${values})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
    else throw new Error(`unknown label selector operator ${e.operator}`);
  }
  if (parts.length === 0) throw new Error('the deployment has an empty selector');
  return parts.join(',');
}

export interface RolloutState {
  done: boolean;
  /** The deployment can no longer make progress (ProgressDeadlineExceeded). */
  failed: boolean;
  message: string;
}

/** `kubectl rollout status` for a Deployment, decision for decision. */
export function rolloutState(d: V1Deployment): RolloutState {
  const name = d.metadata?.name ?? 'deployment';
  const gen = d.metadata?.generation ?? 0;
  const st = d.status ?? {};
  if ((st.observedGeneration ?? 0) < gen) return { done: false, failed: false, message: `waiting for the ${name} spec update to be observed` };
  const progressing = st.conditions?.find((c) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') return { done: false, failed: true, message: `${name} exceeded its progress deadline` };
  const want = d.spec?.replicas ?? 1;
  const updated = st.updatedReplicas ?? 0;
  const total = st.replicas ?? 0;
  const available = st.availableReplicas ?? 0;
  if (updated < want) return { done: false, failed: false, message: `${updated} of ${want} updated replicas are available` };
  if (total > updated) return { done: false, failed: false, message: `${total - updated} old replicas are pending termination` };
  if (available < updated) return { done: false, failed: false, message: `${available} of ${updated} updated replicas are available` };
  return { done: true, failed: false, message: `${name} successfully rolled out` };
}

const ms = (t: Date | string | undefined): number | null => (t ? new Date(t).getTime() : null);

/** One pod as a replica: readiness, restarts, the reason it waits or last died. */
export function replicaOfPod(p: V1Pod, index: number): Replica {
  const statuses = p.status?.containerStatuses ?? [];
  const ready = p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
  const waiting = statuses.map((c) => c.state?.waiting?.reason).find(Boolean);
  const terminated = statuses.map((c) => c.lastState?.terminated).filter((t) => t !== undefined).sort((a, b) => (ms(b.finishedAt) ?? 0) - (ms(a.finishedAt) ?? 0))[0];
  const phase = p.status?.phase ?? 'Unknown';
  let state: Replica['state'];
  if (p.metadata?.deletionTimestamp) state = 'stopping';
  else if (waiting === 'CrashLoopBackOff') state = 'backoff';
  else if (phase === 'Failed') state = 'crashed';
  else if (phase === 'Succeeded') state = 'stopped';
  else if (phase === 'Running' && ready) state = 'running';
  else state = 'starting';
  const restarts = statuses.reduce((n, c) => n + c.restartCount, 0);
  return {
    index,
    pid: null,
    id: p.metadata?.name ?? `pod-${index}`,
    image: p.spec?.containers[0]?.image,
    health: ready ? 'healthy' : waiting === 'CrashLoopBackOff' || phase === 'Failed' || (phase === 'Running' && restarts > 0) ? 'unhealthy' : 'starting',
    state,
    startedAt: ms(p.status?.startTime),
    restarts,
    lastExit: terminated ? `exited with ${terminated.exitCode}${terminated.reason ? ` (${terminated.reason})` : ''} at ${new Date(terminated.finishedAt ?? 0).toISOString()}` : waiting ? `waiting: ${waiting}` : null,
  };
}

/** The service's verdict: rollout complete and every desired pod ready is healthy; a crash-looping pod or a stuck rollout is not. */
export function deploymentStatus(spec: ServiceSpec, d: V1Deployment, pods: V1Pod[]): ServiceStatus {
  const desired = d.spec?.replicas ?? 1;
  const ready = d.status?.readyReplicas ?? 0;
  const rollout = rolloutState(d);
  const replicas = pods.map((p, i) => replicaOfPod(p, i + 1));
  const broken = replicas.filter((r) => r.state === 'backoff' || r.state === 'crashed' || r.health === 'unhealthy');
  let health: ServiceStatus['health'];
  if (desired === 0 && replicas.every((r) => r.state === 'stopping')) health = 'stopped';
  else if (rollout.failed || broken.length > 0) health = 'unhealthy';
  else health = rollout.done && ready >= desired ? 'healthy' : 'starting';
  const crashes = pods
    .flatMap((p) => (p.status?.containerStatuses ?? []).map((c) => ({ pod: p.metadata?.name ?? '', c, t: c.lastState?.terminated })))
    .filter((x) => x.t !== undefined)
    .sort((a, b) => (ms(b.t!.finishedAt) ?? 0) - (ms(a.t!.finishedAt) ?? 0));
  const crash = crashes[0];
  const starts = replicas.map((r) => r.startedAt).filter((t): t is number => t !== null);
  const images = [...new Set(replicas.map((r) => r.image).filter(Boolean))].join(', ');
  return {
    name: spec.name,
    description: spec.description,
    driver: 'kubernetes',
    desiredReplicas: desired,
    maxReplicas: spec.maxReplicas,
    dependsOn: spec.dependsOn,
    health,
    healthMessage: `${ready}/${desired} ready; ${rollout.message}${broken.length ? `; ${broken.map((r) => `${r.id} ${r.state === 'backoff' ? 'CrashLoopBackOff' : r.state}`).join(', ')}` : ''}${images ? `; ${images}` : ''}`,
    replicas,
    lastRestartAt: starts.length ? Math.max(...starts) : null,
    lastCrash: crash ? { at: ms(crash.t!.finishedAt), message: `${crash.pod}/${crash.c.name} exited with ${crash.t!.exitCode}${crash.t!.reason ? ` (${crash.t!.reason})` : ''}` } : null,
  };
}
