import { readFileSync } from 'node:fs';
import path from 'node:path';
import { KubeConfig, type V1Deployment, type V1PodList } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { ServiceSpec } from '../../../../shared/api/services';
import { startReplay, type RecordedRequest } from '../../../test-support/k8s-replay';
import { KubernetesDriver } from './k8s-driver';
import { RESTARTED_AT, rolloutState, selectorString } from './k8s-status';

const rec = JSON.parse(readFileSync(path.join(import.meta.dirname, 'fixtures/recorded.json'), 'utf8')) as {
  steady: V1Deployment;
  restart_rollout: V1Deployment[];
  scale: unknown;
  scale_rollout: V1Deployment[];
  stuck: V1Deployment;
  pods: V1PodList;
  logs: Record<string, string>;
  not_found: unknown;
};
const DEPLOY = 'GET /apis/apps/v1/namespaces/shop/deployments/celery';
const PODS = 'GET /api/v1/namespaces/shop/pods';
const log = (pod: string) => `GET /api/v1/namespaces/shop/pods/${pod}/log`;
const logs = Object.fromEntries(Object.entries(rec.logs).map(([pod, text]) => [log(pod), [text]]));
const spec = ServiceSpec.parse({ name: 'celery', driver: 'kubernetes', kubernetes: { namespace: 'shop', deployment: 'celery' }, startTimeoutMs: 5000 });

let replay: Awaited<ReturnType<typeof startReplay>> | undefined;
afterEach(() => replay?.close());

async function driverFor(routes: Parameters<typeof startReplay>[0]) {
  replay = await startReplay(routes);
  return { driver: new KubernetesDriver(replay.kubeConfig('shop'), 5), requests: replay.requests };
}

describe('KubernetesDriver against recorded API responses', () => {
  it('status: desired/ready from the deployment, each pod with readiness, restarts and its last crash', async () => {
    const { driver, requests } = await driverFor({ [DEPLOY]: [rec.steady], [PODS]: [rec.pods] });
    const st = await driver.status(spec);
    expect(requests.map((r) => [r.method, r.path, r.query.labelSelector, r.authorization])).toEqual([
      ['GET', '/apis/apps/v1/namespaces/shop/deployments/celery', undefined, 'Bearer replay-token'],
      ['GET', '/api/v1/namespaces/shop/pods', 'app=celery,tier=worker', 'Bearer replay-token'],
    ]);
    expect(st).toMatchObject({
      driver: 'kubernetes',
      desiredReplicas: 2,
      health: 'unhealthy',
      healthMessage: '2/2 ready; celery successfully rolled out; celery-7d9f8b6c5-zq81m CrashLoopBackOff; registry.example/shop/celery:2.4.1',
      lastCrash: { at: Date.parse('2026-12-01T08:04:12Z'), message: 'celery-7d9f8b6c5-zq81m/celery exited with 1 (Error)' },
      lastRestartAt: Date.parse('2026-12-01T08:00:02Z'),
    });
    expect(st.replicas.map((r) => [r.id, r.state, r.health, r.restarts, r.lastExit])).toEqual([
      ['celery-7d9f8b6c5-k2x4p', 'running', 'healthy', 0, null],
      ['celery-7d9f8b6c5-zq81m', 'backoff', 'unhealthy', 4, 'exited with 1 (Error) at 2026-12-01T08:04:12.000Z'],
    ]);
  });

  it('restart: the rollout-restart annotation as a strategic merge patch, then waits as kubectl rollout status does', async () => {
    const { driver, requests } = await driverFor({ 'PATCH /apis/apps/v1/namespaces/shop/deployments/celery': [rec.restart_rollout[0]], [DEPLOY]: rec.restart_rollout, [PODS]: [rec.pods], ...logs });
    const lines: string[] = [];
    const before = Date.now();
    await driver.restart(spec, (l) => lines.push(l));
    const patch = requests.find((r) => r.method === 'PATCH')!;
    expect(patch.contentType).toBe('application/strategic-merge-patch+json');
    expect(patch.query).toEqual({ fieldManager: 'opsdesk' });
    const stamp = (patch.body as { spec: { template: { metadata: { annotations: Record<string, string> } } } }).spec.template.metadata.annotations[RESTARTED_AT]!;
    expect(stamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Date.parse(stamp)).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(lines).toEqual([
      'kubectl rollout restart deployment/celery -n shop',
      'waiting for the celery spec update to be observed',
      '1 of 2 updated replicas are available',
      '1 old replicas are pending termination',
      '1 of 2 updated replicas are available',
      'celery successfully rolled out',
      '[celery-7d9f8b6c5-zq81m] 2026-12-01T08:04:11.900000000Z [ERROR] consumer: Cannot connect to redis://redis:6379/0: Connection refused.',
      '[celery-7d9f8b6c5-k2x4p] 2026-12-01T08:05:00.120000000Z [INFO] celery@celery-7d9f8b6c5-k2x4p ready.',
      '[celery-7d9f8b6c5-k2x4p] 2026-12-01T08:05:02.500000000Z [INFO] Task shop.tasks.send_receipt succeeded in 0.04s',
    ]);
    expect(requests.filter((r) => r.path.endsWith('/log')).map((r) => r.query)).toEqual([
      { tailLines: '20', timestamps: 'true' },
      { tailLines: '20', timestamps: 'true' },
    ]);
  });

  it('scale: a merge patch of the scale subresource, then the rollout wait', async () => {
    const { driver, requests } = await driverFor({ 'PATCH /apis/apps/v1/namespaces/shop/deployments/celery/scale': [rec.scale], [DEPLOY]: rec.scale_rollout, [PODS]: [rec.pods], ...logs });
    const lines: string[] = [];
    await driver.scale(spec, 5, (l) => lines.push(l));
    const patch = requests.find((r) => r.method === 'PATCH')!;
    expect([patch.path, patch.contentType, patch.body]).toEqual(['/apis/apps/v1/namespaces/shop/deployments/celery/scale', 'application/merge-patch+json', { spec: { replicas: 5 } }]);
    expect(lines.slice(0, 3)).toEqual(['kubectl scale deployment/celery -n shop --replicas=5', '2 of 5 updated replicas are available', 'celery successfully rolled out']);
  });

  it('a rollout past its progress deadline fails with the reason; an unknown deployment says the API server\'s message', async () => {
    const { driver } = await driverFor({ 'PATCH /apis/apps/v1/namespaces/shop/deployments/celery/scale': [rec.scale], [DEPLOY]: [rec.stuck], [PODS]: [rec.pods] });
    await expect(driver.scale(spec, 3)).rejects.toThrow('celery exceeded its progress deadline');
    expect((await driver.status(spec)).health).toBe('unhealthy');
    await replay!.close();
    const lost = await driverFor({ 'GET /apis/apps/v1/namespaces/shop/deployments/nope': [{ replayStatus: 404, body: rec.not_found }] });
    await expect(lost.driver.status({ ...spec, kubernetes: { namespace: 'shop', deployment: 'nope' } })).rejects.toThrow('kubernetes read deployment shop/nope: 404 deployments.apps "nope" not found');
  });

  it('verifies the API server\'s certificate against the kubeconfig\'s CA', async () => {
    await driverFor({ [DEPLOY]: [rec.steady], [PODS]: [rec.pods] });
    const kc = new KubeConfig();
    kc.loadFromOptions({ clusters: [{ name: 'c', server: replay!.url }], users: [{ name: 'u', token: 't' }], contexts: [{ name: 'x', cluster: 'c', user: 'u' }], currentContext: 'x' });
    await expect(new KubernetesDriver(kc).status(spec)).rejects.toThrow(/self[- ]signed certificate|unable to verify/i);
    expect(replay!.requests).toEqual([]);
  });

  it('interprets rollouts and selectors as kubectl does', () => {
    expect(rec.restart_rollout.map((d) => rolloutState(d).done)).toEqual([false, false, false, false, true]);
    expect(selectorString({ matchLabels: { app: 'x' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }, { key: 'canary', operator: 'DoesNotExist' }] })).toBe('app=x,tier in (a,b),!canary');
    expect(() => selectorString({})).toThrow('the deployment has an empty selector');
  });
});

/** The RBAC resource and verb of one request, as the API server's authorizer sees it. */
function permission(r: RecordedRequest): string {
  const m = /^\/(?:api\/v1|apis\/(apps)\/v1)\/namespaces\/[^/]+\/([a-z]+)(?:\/([^/]+)(?:\/([a-z]+))?)?$/.exec(r.path);
  if (!m) throw new Error(`unexpected request path ${r.path}`);
  const [, group = '', resource, name, sub] = m;
  const verb = r.method === 'PATCH' ? 'patch' : name ? 'get' : 'list';
  return `${group}:${resource}${sub ? `/${sub}` : ''}:${verb}`;
}

describe('the shipped RBAC role', () => {
  it('grants every call the driver makes, and nothing else', async () => {
    const file = path.join(import.meta.dirname, '../../../deploy/kubernetes/opsdesk-services-rbac.yaml');
    const role = parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS()).find((d) => d.kind === 'Role');
    const granted = new Set<string>();
    for (const rule of role.rules as { apiGroups: string[]; resources: string[]; verbs: string[] }[])
      for (const g of rule.apiGroups) for (const res of rule.resources) for (const v of rule.verbs) granted.add(`${g}:${res}:${v}`);
    const { driver, requests } = await driverFor({
      [DEPLOY]: [rec.steady],
      'PATCH /apis/apps/v1/namespaces/shop/deployments/celery': [rec.steady],
      'PATCH /apis/apps/v1/namespaces/shop/deployments/celery/scale': [rec.scale],
      [PODS]: [rec.pods],
      ...logs,
    });
    await driver.status(spec);
    await driver.restart(spec);
    await driver.scale(spec, 2);
    await driver.logs(spec, 5);
    expect(new Set(requests.map(permission))).toEqual(granted);
  });
});
