import { rmSync } from 'node:fs';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../test-support/harness';
import { ServerMetrics } from './prometheus';
import { startServer, type RunningServer } from '../app/server';
import { Lifecycle } from './lifecycle';

/** A pino logger whose lines land in `lines` (parsed). */
function memoryLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

async function failuresOf(metrics: ServerMetrics, loop: string): Promise<number> {
  const m = await metrics.backgroundFailures.get();
  return m.values.find((v) => v.labels.loop === loop)?.value ?? 0;
}

describe('lifecycle', () => {
  it('logs and counts a failing round by its loop name, and never overlaps a slow round', async () => {
    const { logger, lines } = memoryLogger();
    const metrics = new ServerMetrics();
    const lifecycle = new Lifecycle(logger, metrics.backgroundFailures);
    let rounds = 0;
    let release!: () => void;
    const slow = () => ((rounds++, new Promise<void>((r) => (release = r))));
    const a = lifecycle.run('slow-loop', slow);
    const b = lifecycle.run('slow-loop', slow);
    expect(rounds).toBe(1);
    release();
    await Promise.all([a, b]);

    await lifecycle.run('broken-loop', async () => {
      throw new Error('database is closed');
    });
    expect(await failuresOf(metrics, 'broken-loop')).toBe(1);
    const line = lines.find((l) => l.loop === 'broken-loop');
    expect(line).toMatchObject({ level: 50, loop: 'broken-loop', msg: 'background work failed: broken-loop' });
    expect((line!.err as { message: string }).message).toBe('database is closed');
  });

  it('stops its loops and runs stop hooks in reverse, reporting a failing hook without skipping the rest', async () => {
    const { logger, lines } = memoryLogger();
    const metrics = new ServerMetrics();
    const lifecycle = new Lifecycle(logger, metrics.backgroundFailures);
    const order: string[] = [];
    lifecycle.onStop('first', () => void order.push('first'));
    lifecycle.onStop('second', () => {
      throw new Error('boom');
    });
    let ticks = 0;
    lifecycle.every('ticker', 5, async () => void ticks++, { immediate: true });
    await lifecycle.start();
    await new Promise((r) => setTimeout(r, 30));
    await lifecycle.stop();
    const after = ticks;
    await new Promise((r) => setTimeout(r, 30));
    expect(ticks).toBe(after);
    expect(after).toBeGreaterThan(0);
    expect(order).toEqual(['first']);
    expect(lines.some((l) => l.loop === 'second')).toBe(true);
  });
});

describe('a failing background loop in a running server', () => {
  let server: RunningServer | undefined;
  let dataDir = '';
  afterAll(async () => {
    await server?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('is logged with the loop name through pino and counted in opsdesk_background_failures_total', async () => {
    const config = await testConfig('sqlite', { MONITORING_LOOPS: 'false' });
    dataDir = config.DATA_DIR;
    const { logger, lines } = memoryLogger();
    server = await startServer(config, { logger });
    const { services } = server;
    services.collectors.register('exploding', async () => {
      throw new Error('sensor unplugged');
    });
    // The collect round runs every collector: the failing one is reported, the others still report.
    expect(await services.monitoringRounds.collect()).toBeGreaterThan(0);
    // A loop whose database went away under it.
    await services.lifecycle.run('sla-watcher', async () => {
      await services.database.db.selectFrom('nonexistent_table' as never).selectAll().execute();
    });
    await new Promise((r) => logger.flush(() => r(undefined)));
    expect(lines.find((l) => l.loop === 'collector:exploding')).toMatchObject({ level: 50, msg: 'background work failed: collector:exploding', err: { message: 'sensor unplugged' } });
    expect(lines.find((l) => l.loop === 'sla-watcher')).toMatchObject({ level: 50, msg: 'background work failed: sla-watcher' });
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).toMatch(/^opsdesk_background_failures_total\{loop="collector:exploding"\} 1$/m);
    expect(text).toMatch(/^opsdesk_background_failures_total\{loop="sla-watcher"\} 1$/m);
  });
});
