import type { TestServer } from './harness';

/** Test helper: polls a job until it reaches one of `statuses`. */
export async function waitJob(server: TestServer, token: string, id: string, statuses = ['succeeded', 'failed', 'cancelled', 'interrupted'], timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await server.api('GET', `/api/v1/jobs/${id}`, { token });
    if (statuses.includes(r.body.status)) return r.body;
    if (Date.now() > deadline) throw new Error(`job ${id} stuck in ${r.body.status}: ${JSON.stringify(r.body)}`);
    await new Promise((res) => setTimeout(res, 50));
  }
}

