import { ApiException, AppsV1Api, CoreV1Api, KubeConfig, PatchStrategy, setHeaderOptions, type V1Deployment, type V1Pod } from '@kubernetes/client-node';
import type { KubernetesTarget, ServiceSpec, ServiceStatus } from '../../../../shared/api/services';
import { lastByTime, type ServiceDriver, type ServiceLogLine } from '../service-driver';
import { deploymentStatus, restartPatch, rolloutState, scalePatch, selectorString } from './k8s-status';

type Log = (line: string) => void;
const quiet: Log = () => {};
const RECENT_LINES = 20;

/** How the driver finds its cluster: a kubeconfig file, else KUBECONFIG / ~/.kube/config, else the pod's service account. */
export function loadKubeConfig(file: string | undefined): KubeConfig {
  const kc = new KubeConfig();
  if (file) kc.loadFromFile(file);
  else kc.loadFromDefault();
  return kc;
}

/** The API server's own Status message instead of the generated client's "Unknown API Status Code". */
export async function k8s<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    // undici says only "fetch failed"; the reason (refused, certificate, DNS) is its cause.
    if (e instanceof Error && e.message === 'fetch failed' && e.cause instanceof Error) throw new Error(`kubernetes ${what}: ${e.cause.message}`, { cause: e });
    if (!(e instanceof ApiException)) throw e;
    const body: unknown = typeof e.body === 'string' ? safeJson(e.body) : e.body;
    const message = body && typeof body === 'object' && 'message' in body ? String((body as { message: unknown }).message) : String(e.body).slice(0, 300);
    throw new Error(`kubernetes ${what}: ${e.code} ${message}`, { cause: e });
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    if (e instanceof SyntaxError) return text;
    throw e;
  }
}

interface Clients {
  apps: AppsV1Api;
  core: CoreV1Api;
}

/**
 * Services as Kubernetes Deployments, through the official client: restart is `kubectl rollout
 * restart` (the restartedAt template annotation), scale goes through the scale subresource, both
 * wait for the rollout the way `kubectl rollout status` does; status reads the deployment and its
 * pods (readiness, restarts, last termination); logs are each pod's tail.
 */
export class KubernetesDriver implements ServiceDriver {
  readonly name = 'kubernetes';
  readonly external = true;
  private readonly clients = new Map<string, Clients>();

  constructor(
    private readonly kubeConfig: KubeConfig,
    private readonly pollMs = 1000,
  ) {}

  private target(spec: ServiceSpec): Required<Pick<KubernetesTarget, 'namespace' | 'deployment'>> & KubernetesTarget {
    if (!spec.kubernetes) throw new Error(`service ${spec.name}: the kubernetes driver needs "kubernetes": { "deployment": … }`);
    return spec.kubernetes;
  }

  private api(spec: ServiceSpec): Clients {
    const context = this.target(spec).context ?? this.kubeConfig.getCurrentContext();
    let c = this.clients.get(context);
    if (!c) {
      const kc = new KubeConfig();
      kc.loadFromString(this.kubeConfig.exportConfig());
      if (context) kc.setCurrentContext(context);
      this.clients.set(context, (c = { apps: kc.makeApiClient(AppsV1Api), core: kc.makeApiClient(CoreV1Api) }));
    }
    return c;
  }

  private read(spec: ServiceSpec): Promise<V1Deployment> {
    const t = this.target(spec);
    return k8s(`read deployment ${t.namespace}/${t.deployment}`, () => this.api(spec).apps.readNamespacedDeployment({ name: t.deployment, namespace: t.namespace }));
  }

  private async pods(spec: ServiceSpec, d: V1Deployment): Promise<V1Pod[]> {
    const namespace = this.target(spec).namespace;
    const list = await k8s(`list pods in ${namespace}`, () => this.api(spec).core.listNamespacedPod({ namespace, labelSelector: selectorString(d.spec?.selector) }));
    return list.items.sort((a, b) => String(a.metadata?.name).localeCompare(String(b.metadata?.name)));
  }

  async status(spec: ServiceSpec): Promise<ServiceStatus> {
    const d = await this.read(spec);
    return deploymentStatus(spec, d, await this.pods(spec, d));
  }

  async restart(spec: ServiceSpec, log: Log = quiet): Promise<void> {
    const t = this.target(spec);
    log(`kubectl rollout restart deployment/${t.deployment} -n ${t.namespace}`);
    await k8s(`patch deployment ${t.namespace}/${t.deployment}`, () =>
      this.api(spec).apps.patchNamespacedDeployment(
        { name: t.deployment, namespace: t.namespace, body: restartPatch(new Date()), fieldManager: 'opsdesk' },
        setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
      ),
    );
    await this.waitForRollout(spec, log);
  }

  async scale(spec: ServiceSpec, replicas: number, log: Log = quiet): Promise<void> {
    const t = this.target(spec);
    log(`kubectl scale deployment/${t.deployment} -n ${t.namespace} --replicas=${replicas}`);
    await k8s(`scale deployment ${t.namespace}/${t.deployment}`, () =>
      this.api(spec).apps.patchNamespacedDeploymentScale(
        { name: t.deployment, namespace: t.namespace, body: scalePatch(replicas), fieldManager: 'opsdesk' },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      ),
    );
    await this.waitForRollout(spec, log);
  }

  start(spec: ServiceSpec, log?: Log): Promise<void> {
    return this.scale(spec, Math.max(1, spec.replicas), log);
  }

  stop(spec: ServiceSpec, log?: Log): Promise<void> {
    return this.scale(spec, 0, log);
  }

  /** Polls the deployment until its rollout completes (logging each new message); throws on a stuck rollout or at the start timeout. */
  async waitForRollout(spec: ServiceSpec, log: Log = quiet): Promise<void> {
    const deadline = Date.now() + spec.startTimeoutMs;
    let last = '';
    for (;;) {
      const d = await this.read(spec);
      const r = rolloutState(d);
      if (r.message !== last) log((last = r.message));
      if (r.failed) throw new Error(r.message);
      if (r.done) break;
      if (Date.now() > deadline) throw new Error(`${spec.name}: rollout not finished within ${spec.startTimeoutMs} ms (${r.message})`);
      await new Promise((res) => setTimeout(res, this.pollMs));
    }
    for (const l of await this.logs(spec, RECENT_LINES)) log(`[${l.replica}] ${l.line}`);
  }

  async logs(spec: ServiceSpec, lines: number): Promise<ServiceLogLine[]> {
    const t = this.target(spec);
    const pods = await this.pods(spec, await this.read(spec));
    const out: ServiceLogLine[] = [];
    for (const p of pods.filter((x) => x.status?.phase === 'Running')) {
      const name = p.metadata!.name!;
      const text = await k8s(`logs of ${t.namespace}/${name}`, () => this.api(spec).core.readNamespacedPodLog({ name, namespace: t.namespace, tailLines: lines, timestamps: true }));
      for (const line of text.split('\n')) if (line) out.push({ replica: name, line });
    }
    return lastByTime(out, lines);
  }

  async close(): Promise<void> {}
}
