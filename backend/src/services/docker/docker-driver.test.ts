import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceSpec } from '../../../../shared/api/services';
import { composeUp, REPLICA_SCRIPT, startDockerd, TEST_IMAGE, type Dockerd } from '../../../test-support/dockerd';
import { MemoryDesiredStore } from '../desired-store';
import { ServiceManager } from '../service-manager';
import { LogStreamSplitter } from './docker-api';
import { DockerDriver } from './docker-driver';

const dockerd = await startDockerd();

describe.skipIf(!dockerd)('DockerDriver against a real dockerd', () => {
  let d: Dockerd;
  let driver: DockerDriver;
  const store = new MemoryDesiredStore();
  beforeAll(() => {
    d = dockerd!;
    driver = new DockerDriver(d.socket, store);
  });
  afterAll(() => d.stop(), 60_000);

  const compose = (service: string, extra: Partial<ServiceSpec> = {}) =>
    ServiceSpec.parse({ name: service, driver: 'docker', docker: { project: 'shop' }, maxReplicas: 5, stopTimeoutMs: 5000, startTimeoutMs: 15_000, ...extra });
  const running = async (spec: ServiceSpec) => (await driver.containers(spec)).filter((c) => c.State.Running).map((c) => c.Id);

  it('reads a compose service: replicas, health, image, uptime', async () => {
    await composeUp(d.api, 'shop', 'web', 2);
    const st = await driver.status(compose('web'));
    expect(st).toMatchObject({ driver: 'docker', desiredReplicas: 2, health: 'healthy', healthMessage: `2/2 running; ${TEST_IMAGE}` });
    expect(st.replicas.map((r) => [r.index, r.state, r.health, r.image, r.restarts])).toEqual([
      [1, 'running', 'none', TEST_IMAGE, 0],
      [2, 'running', 'none', TEST_IMAGE, 0],
    ]);
    expect(st.replicas[0]!.startedAt).toBeGreaterThan(Date.now() - 60_000);
    expect(st.lastRestartAt).toBe(Math.max(...st.replicas.map((r) => r.startedAt!)));
  });

  it('restart recreates every replica gracefully: new container ids, the same names, recent output in the log', async () => {
    await composeUp(d.api, 'shop', 'api', 2);
    const spec = compose('api');
    const before = await running(spec);
    const log: string[] = [];
    const started = Date.now();
    await driver.restart(spec, (l) => log.push(l));
    const after = await running(spec);
    expect(after).toHaveLength(2);
    for (const id of after) expect(before).not.toContain(id);
    expect((await driver.containers(spec)).map((c) => c.Name)).toEqual(['/shop-api-1', '/shop-api-2']);
    // SIGTERM was honoured (the replicas trap it): far below the 5 s stop timeout each.
    expect(Date.now() - started).toBeLessThan(8000);
    expect(log.filter((l) => l.startsWith('stopped shop-api-'))).toHaveLength(2);
    for (const id of after) expect(log.some((l) => l.startsWith(`[${id.slice(0, 12)}] `) && l.endsWith(`replica ${id.slice(0, 12)} up`))).toBe(true);
    expect((await driver.status(spec)).health).toBe('healthy');
  });

  it('scales 1 → 3 → 1 like docker compose up --scale: copies of the definition, the newest removed first', async () => {
    const [first] = await composeUp(d.api, 'shop', 'celery', 1);
    const spec = compose('celery');
    await driver.scale(spec, 3);
    const three = await driver.containers(spec);
    expect(three.map((c) => [c.Name, c.State.Running, c.Config.Image, c.Config.Cmd])).toEqual(
      [1, 2, 3].map((n) => [`/shop-celery-${n}`, true, TEST_IMAGE, ['/bin/sh', '-c', REPLICA_SCRIPT]]),
    );
    expect(three.map((c) => c.HostConfig.NetworkMode)).toEqual(['none', 'none', 'none']);
    expect((await driver.status(spec)).desiredReplicas).toBe(3);
    await driver.scale(spec, 1);
    expect(await running(spec)).toEqual([first]);
    expect((await driver.status(spec)).replicas).toHaveLength(1);
    // At 0 the first replica stays, stopped, as the definition; the count is kept in the store, so
    // another driver (another backend instance, or after a restart) sees it stopped, not failed.
    await driver.scale(spec, 2);
    await driver.scale(spec, 0);
    expect((await driver.containers(spec)).map((c) => [c.Id, c.State.Running])).toEqual([[first, false]]);
    const again = new DockerDriver(d.socket, store);
    expect(await again.status(spec)).toMatchObject({ health: 'stopped', desiredReplicas: 0, replicas: [{ state: 'stopped' }] });
    await expect(again.restart(spec)).rejects.toThrow('celery is scaled to 0; scale it up instead of restarting it');
    expect(await new DockerDriver(d.socket).status(spec)).toMatchObject({ health: 'unhealthy', desiredReplicas: 1 });
    await again.scale(spec, 2);
    expect((await again.status(spec)).replicas.map((r) => [r.index, r.state])).toEqual([
      [1, 'running'],
      [2, 'running'],
    ]);
  });

  it('a container stopped behind its back makes the service unhealthy; so does a failing HEALTHCHECK', async () => {
    const [one] = await composeUp(d.api, 'shop', 'worker', 2);
    await d.api.stop(one!, 5);
    const st = await driver.status(compose('worker'));
    expect(st.health).toBe('unhealthy');
    expect(st.healthMessage).toBe(`1/2 running; shop-worker-1 stopped; ${TEST_IMAGE}`);
    expect(st.replicas[0]).toMatchObject({ state: 'stopped', startedAt: null });
    expect(st.replicas[0]!.lastExit).toMatch(/^exited with 0 at /);

    await composeUp(d.api, 'shop', 'sick', 1, { healthy: false });
    const spec = compose('sick');
    let sick = await driver.status(spec);
    for (let i = 0; i < 50 && sick.health !== 'unhealthy'; i++) {
      await new Promise((r) => setTimeout(r, 200));
      sick = await driver.status(spec);
    }
    expect(sick.health).toBe('unhealthy');
    expect(sick.replicas[0]).toMatchObject({ state: 'running', health: 'unhealthy' });
    expect(sick.lastCrash?.message).toBe('shop-sick-1 failed its health check');
    // A restart waits for health and fails with the reason when it never comes.
    await expect(driver.restart({ ...spec, startTimeoutMs: 1500 })).rejects.toThrow(/sick did not become healthy within 1500 ms \(0\/1 running; shop-sick-1 unhealthy/);
  });

  it('streams the output of new replicas into the log while it waits for them to become healthy', async () => {
    const warmUp = 'i=0; while [ $i -lt 4 ]; do echo "warming $i"; i=$((i+1)); sleep 0.3; done; touch /tmp/ready; echo ready; while :; do sleep 1 & wait $!; done';
    await composeUp(d.api, 'shop', 'slow', 1, { script: warmUp, healthTest: ['CMD', '/bin/test', '-f', '/tmp/ready'] });
    const spec = compose('slow', { stopTimeoutMs: 1000 });
    const log: string[] = [];
    await driver.restart(spec, (l) => log.push(l));
    const id = (await driver.containers(spec))[0]!.Id.slice(0, 12);
    const healthyAt = log.indexOf('slow: 1/1 running; opsdesk-busybox:test');
    const output = log.filter((l) => l.startsWith(`[${id}] `));
    expect(output.slice(0, 4)).toEqual([0, 1, 2, 3].map((i) => `[${id}] warming ${i}`));
    // The warm-up lines arrived before the service was healthy: they were streamed, not copied after.
    expect(log.indexOf(`[${id}] warming 0`)).toBeLessThan(healthyAt);
  });

  it('new replicas join the compose network under the service alias', async () => {
    await d.api.request('POST', '/networks/create', { Name: 'shop_default', Driver: 'bridge', Labels: { 'com.docker.compose.project': 'shop' } });
    const { Id } = await d.api.create('shop-db-1', {
      Image: TEST_IMAGE,
      Cmd: ['/bin/sh', '-c', REPLICA_SCRIPT],
      Labels: { 'com.docker.compose.project': 'shop', 'com.docker.compose.service': 'db', 'com.docker.compose.container-number': '1' },
      HostConfig: { NetworkMode: 'shop_default' },
      NetworkingConfig: { EndpointsConfig: { shop_default: { Aliases: ['db'] } } },
    });
    await d.api.start(Id);
    const spec = compose('db', { stopTimeoutMs: 1000 });
    await driver.scale(spec, 2);
    const [, second] = await driver.containers(spec);
    expect(second!.HostConfig.NetworkMode).toBe('shop_default');
    expect(second!.NetworkSettings.Networks?.shop_default?.Aliases).toContain('db');
    expect(second!.NetworkSettings.Networks?.shop_default?.Aliases).not.toContain(Id.slice(0, 12));
  });

  it('reads recent log lines of every replica, oldest first', async () => {
    await composeUp(d.api, 'shop', 'beat', 2);
    await new Promise((r) => setTimeout(r, 300));
    const lines = await driver.logs(compose('beat'), 10);
    expect(lines.map((l) => l.replica).sort()).toEqual(['shop-beat-1', 'shop-beat-2']);
    for (const l of lines) expect(l.line).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z replica [0-9a-f]{12} up$/);
  });

  it('a plain container scales between 0 and 1 only', async () => {
    await composeUp(d.api, 'plain', 'cache', 1);
    const spec = ServiceSpec.parse({ name: 'cache', driver: 'docker', docker: { container: 'plain-cache-1' }, stopTimeoutMs: 2000 });
    await driver.scale(spec, 0);
    expect(await driver.status(spec)).toMatchObject({ health: 'stopped', desiredReplicas: 0, maxReplicas: 1 });
    await driver.scale(spec, 1);
    expect(await driver.status(spec)).toMatchObject({ health: 'healthy', desiredReplicas: 1 });
    await expect(driver.scale(spec, 2)).rejects.toThrow('cache is the single container plain-cache-1; scale it to 0 or 1');
    const before = (await driver.containers(spec))[0]!.Id;
    await driver.restart(spec);
    expect((await driver.containers(spec))[0]!.Id).not.toBe(before);
  });

  it('says which socket it cannot reach', async () => {
    const lost = new DockerDriver('/nonexistent/docker.sock');
    await expect(lost.status(compose('web'))).rejects.toThrow('Docker is not reachable on /nonexistent/docker.sock (ENOENT)');
    // The services list still answers: that service is unknown, with the reason.
    const manager = new ServiceManager([compose('web')], { docker: lost });
    expect(await manager.statusAll()).toMatchObject([{ name: 'web', health: 'unknown', healthMessage: 'status unavailable: Docker is not reachable on /nonexistent/docker.sock (ENOENT)' }]);
  });
});

describe('LogStreamSplitter', () => {
  const frame = (stream: number, text: string) => {
    const payload = Buffer.from(text);
    const head = Buffer.alloc(8);
    head[0] = stream;
    head.writeUInt32BE(payload.length, 4);
    return Buffer.concat([head, payload]);
  };
  it('reassembles frames and lines cut anywhere between chunks', () => {
    const lines: string[] = [];
    const s = new LogStreamSplitter((l) => lines.push(l));
    const all = Buffer.concat([frame(1, 'one\ntw'), frame(2, 'o\nthr'), frame(1, 'ee\n'), frame(1, 'tail')]);
    for (let i = 0; i < all.length; i += 3) s.push(all.subarray(i, i + 3));
    s.end();
    expect(lines).toEqual(['one', 'two', 'three', 'tail']);
  });
  it('passes a TTY stream (no frames) through as lines', () => {
    const lines: string[] = [];
    const s = new LogStreamSplitter((l) => lines.push(l));
    s.push(Buffer.from('hello\nwor'));
    s.push(Buffer.from('ld\n'));
    expect(lines).toEqual(['hello', 'world']);
  });
});
