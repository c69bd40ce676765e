import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReplay } from '../backend/test-support/k8s-replay';
import { tempDir } from '../backend/test-support/harness';

const run = promisify(execFile);
const ROOT = path.join(import.meta.dirname, '..');
const rec = JSON.parse(readFileSync(path.join(ROOT, 'backend/src/services/kubernetes/fixtures/recorded.json'), 'utf8'));
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

/** The script a user runs against a real cluster, run here against the recorded API responses. */
describe('scripts/k8s-driver-check.ts', () => {
  let replay: Awaited<ReturnType<typeof startReplay>>;
  let kubeconfig: string;
  beforeAll(async () => {
    const healthy = { ...rec.pods, items: [rec.pods.items[0]] };
    replay = await startReplay({
      'GET /apis/apps/v1/namespaces/shop/deployments/celery': [rec.steady, rec.steady, ...rec.restart_rollout],
      'PATCH /apis/apps/v1/namespaces/shop/deployments/celery': [rec.restart_rollout[0]],
      'GET /api/v1/namespaces/shop/pods': [healthy],
      'GET /api/v1/namespaces/shop/pods/celery-7d9f8b6c5-k2x4p/log': [rec.logs['celery-7d9f8b6c5-k2x4p']],
    });
    kubeconfig = path.join(tempDir('opsdesk-kube-'), 'config');
    writeFileSync(kubeconfig, replay.kubeConfig('shop').exportConfig());
  });
  afterAll(() => replay.close());

  it('prints the status and logs, and fails a restart whose pods were not replaced', async () => {
    const out = await run(TSX, ['scripts/k8s-driver-check.ts', '--kubeconfig', kubeconfig, '--namespace', 'shop', '--deployment', 'celery', '--restart', '--poll-ms', '20'], { cwd: ROOT }).then(
      () => {
        throw new Error('expected the check to fail: the recording serves the same pod after the restart');
      },
      (e: { code: number; stdout: string }) => e,
    );
    expect(out.code).toBe(1);
    expect(out.stdout).toContain('celery: healthy (2/2 ready; celery successfully rolled out; registry.example/shop/celery:2.4.1)');
    expect(out.stdout).toContain('ok   status lists the pods of the deployment');
    expect(out.stdout).toContain('[celery-7d9f8b6c5-k2x4p] 2026-12-01T08:05:00.120000000Z [INFO] celery@celery-7d9f8b6c5-k2x4p ready.');
    expect(out.stdout).toContain('  waiting for the celery spec update to be observed');
    expect(out.stdout).toContain('FAIL every pod was replaced');
    expect(replay.requests.find((r) => r.method === 'PATCH')?.contentType).toBe('application/strategic-merge-patch+json');
  }, 60_000);
});
