// Runs OpsDesk's Kubernetes driver against a real cluster (none can run on the machine where the
// tests run, so this is the check a user runs). Read-only unless asked:
//   npx tsx scripts/k8s-driver-check.ts --namespace shop --deployment celery
//   … --restart            rollout restart, wait, check every pod was replaced
//   … --scale 3            scale to 3, wait, check 3 ready, then scale back to the original count
//   … --context prod --kubeconfig ~/.kube/config
// Exit code 0 when every check passed, 1 otherwise.
import { parseArgs } from 'node:util';
import { ServiceSpec, type ServiceStatus } from '../shared/api/services';
import { KubernetesDriver, loadKubeConfig } from '../backend/src/services/kubernetes/k8s-driver';

const { values } = parseArgs({
  options: {
    namespace: { type: 'string', default: 'default' },
    deployment: { type: 'string' },
    context: { type: 'string' },
    kubeconfig: { type: 'string' },
    restart: { type: 'boolean', default: false },
    scale: { type: 'string' },
    timeout: { type: 'string', default: '300' },
    'poll-ms': { type: 'string', default: '2000' },
  },
});
if (!values.deployment) {
  console.error('usage: npx tsx scripts/k8s-driver-check.ts --deployment NAME [--namespace NS] [--context CTX] [--kubeconfig FILE] [--restart] [--scale N]');
  process.exit(2);
}
const spec = ServiceSpec.parse({
  name: values.deployment.replace(/[^a-z0-9-]/g, '-').slice(0, 63),
  driver: 'kubernetes',
  kubernetes: { namespace: values.namespace, deployment: values.deployment, context: values.context },
  maxReplicas: 1000,
  startTimeoutMs: Number(values.timeout) * 1000,
});
const driver = new KubernetesDriver(loadKubeConfig(values.kubeconfig), Number(values['poll-ms']));
const log = (line: string) => console.log(`  ${line}`);
let failures = 0;
const check = (ok: boolean, what: string) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures++;
};
const show = (st: ServiceStatus) => {
  console.log(`${st.name}: ${st.health} (${st.healthMessage})`);
  for (const r of st.replicas) console.log(`  ${r.id} ${r.state} ${r.health} restarts=${r.restarts} ${r.lastExit ?? ''}`);
  if (st.lastCrash) console.log(`  last crash: ${st.lastCrash.message}`);
};

process.on('unhandledRejection', (e) => {
  console.error(`FAIL ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
const before = await driver.status(spec);
show(before);
check(before.replicas.length > 0 || before.desiredReplicas === 0, 'status lists the pods of the deployment');
const lines = await driver.logs(spec, 5);
console.log(`recent log lines (${lines.length}):`);
for (const l of lines) log(`[${l.replica}] ${l.line}`);

if (values.restart) {
  console.log('--- rollout restart');
  await driver.restart(spec, log);
  const after = await driver.status(spec);
  show(after);
  const old = new Set(before.replicas.map((r) => r.id));
  check(after.replicas.every((r) => !old.has(r.id)), 'every pod was replaced');
  check(after.health === 'healthy', 'healthy after the rollout');
}

if (values.scale !== undefined) {
  const n = Number(values.scale);
  const original = before.desiredReplicas;
  console.log(`--- scale ${original} → ${n} → ${original}`);
  await driver.scale(spec, n, log);
  const scaled = await driver.status(spec);
  show(scaled);
  check(scaled.desiredReplicas === n && scaled.replicas.filter((r) => r.state === 'running').length === n, `${n} pods ready`);
  await driver.scale(spec, original, log);
  check((await driver.status(spec)).desiredReplicas === original, `back at ${original}`);
}

console.log(failures ? `${failures} check(s) failed` : 'all checks passed');
process.exit(failures ? 1 : 0);
