// `npx tsx bench/ui.bench.ts` (also run by `npm run bench`): the workstation UI in Chromium through
// the browser host, against a real backend.
//  0. the first sync of 100,000 tickets: change-feed path and snapshot path, back to back;
//  1. navigation → queue list painted with 100,000 cached tickets (target < 300 ms), beside a bare
//     reference in the same page (bench/lib/ui-reference.ts: the same first page through the same
//     bridge, the same rows built with plain DOM calls);
//  2. job console appending 10,000 lines/s for 10 s: longest main-thread task (target < 50 ms, no
//     long tasks), beside a bare append loop fed the same events in the same page.
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, createUser, startBackend, startBrowserHost, tempDir, until } from '../e2e/support';
import { bareQueuePaint, installBareConsole, recordBridgeTimes } from './lib/ui-reference';

declare const window: any;
declare const document: any;
declare const performance: any;
declare const PerformanceObserver: any;
declare const requestAnimationFrame: (cb: () => void) => void;

const TICKETS = Number(process.env.UI_BENCH_TICKETS ?? 100_000);
const ADMIN = {
  email: 'bench@example.com',
  password: 'quartz-lantern-velvet-42',
  name: 'Bench Admin',
  role: 'admin' as const,
};

async function main(): Promise<void> {
  const t0 = Date.now();
  // Seeded by the one-shot CLI before the server opens the file (the seed switches the journal
  // mode, which SQLite refuses while the server's reader and checkpoint threads hold it).
  const dataDir = tempDir('opsdesk-bench-ui-');
  const seeded = spawnSync(process.execPath, ['--import', 'tsx', 'backend/src/cli.ts', 'seed-demo', '--tickets', String(TICKETS)], {
    env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'error' },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (seeded.status !== 0) throw new Error(`seed-demo failed: ${seeded.stderr.toString()}`);
  const backend = await startBackend({ DATA_DIR: dataDir });
  await createUser(backend, ADMIN);
  console.log(`seeded ${TICKETS} tickets in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  // The first sync through the browser host's core: today's change-feed path beside the snapshot
  // path, back to back against the same backend; the rest of the bench uses the snapshot host.
  const firstSync = async (syncSnapshot: boolean) => {
    const host = await startBrowserHost(undefined, { syncSnapshot });
    const call = async (channel: string, payload?: unknown) => {
      const r = (await host.core.dispatch(channel, payload)) as {
        ok: boolean;
        value?: any;
        error?: { message: string };
      };
      if (!r.ok) throw new Error(`${channel}: ${r.error?.message}`);
      return r.value;
    };
    const profile = await call('profiles.addServer', { name: 'bench', url: backend.url });
    await call('profiles.activate', { id: profile.id });
    const s0 = Date.now();
    await call('session.login', { email: ADMIN.email, password: ADMIN.password });
    await until(
      async () =>
        (await call('tickets.list', { limit: 1 })).total >= TICKETS &&
        (await call('sync.status')).sync.phase === 'idle',
      600_000,
      'the initial sync',
    );
    const seconds = (Date.now() - s0) / 1000;
    const path = syncSnapshot ? 'snapshot + delta' : 'change feed from 0';
    console.log(`core ready: initial sync (${path}) of ${TICKETS} tickets in ${seconds.toFixed(1)} s`);
    return { host, call, seconds, load: os.loadavg()[0]! };
  };
  const feed = await firstSync(false);
  await feed.host.close();
  const { host, seconds: snapshotSeconds, load } = await firstSync(true);
  const syncResults: Record<string, string | number>[] = [
    { measure: `initial sync through the host, change feed from 0 (load ${feed.load.toFixed(1)})`, value: Number(feed.seconds.toFixed(1)), unit: 's', target: '' },
    { measure: `initial sync through the host, snapshot + delta (load ${load.toFixed(1)})`, value: Number(snapshotSeconds.toFixed(1)), unit: 's', target: '< 8' },
    { measure: 'initial sync: snapshot / change feed', value: Number((snapshotSeconds / feed.seconds).toFixed(2)), unit: '×', target: '' },
  ];

  // Debian's Chromium as the e2e tests run it, with gc() exposed: the console phases each start on
  // a collected heap (the reference's dropped lines are not collected during the app's feed).
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: [...CHROMIUM_ARGS, '--js-flags=--expose-gc'], headless: true });
  const results: Record<string, string | number>[] = [...syncResults];
  try {
    const page = await (await browser.newContext({ viewport: { width: 1360, height: 860 } })).newPage();
    await recordBridgeTimes(page, TICKETS);
    // Warm the HTTP cache once (a desktop app loads its bundle from disk), then measure a fresh navigation.
    await page.goto(host.host.openUrl);
    await page.locator('.grid-row[data-number]').first().waitFor({ timeout: 60_000 });
    const runs: number[] = [];
    const bare: number[] = [];
    const evaluated: number[] = [];
    const bridgeTimes: { firstInvoke: number; listSent: number; listAnswered: number; painted: number }[] = [];
    for (let i = 0; i < 5; i++) {
      const start = Date.now();
      await page.goto(`${host.host.url}/?r=${i}#/queues`);
      await page.waitForFunction(
        (n: number) =>
          document.querySelector('[data-testid="ticket-total"]')?.textContent ===
            `${n.toLocaleString()} tickets` && document.querySelector('.grid-row[data-number]'),
        TICKETS,
        { timeout: 30_000, polling: 'raf' },
      );
      const painted = await page.evaluate(
        () => new Promise<number>((r) => requestAnimationFrame(() => r(performance.now()))),
      );
      runs.push(painted);
      if (i === 0) console.log(`  wall time goto → rows visible: ${Date.now() - start} ms`);
      // Where the time went: the bundle has run by DOMContentLoaded (module scripts run before it).
      evaluated.push(await page.evaluate(() => performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd));
      await page.waitForFunction(() => window.__bridgeTimes.painted !== undefined);
      bridgeTimes.push(await page.evaluate(() => window.__bridgeTimes));
      bare.push(await bareQueuePaint(page, await page.locator('.grid-row[data-number]').count()));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const queueLoad = os.loadavg()[0]!;
    results.push({
      measure: `navigation → queue painted (100k cached), median of 5 (load ${queueLoad.toFixed(1)})`,
      value: Math.round(median(runs)),
      unit: 'ms',
      target: '< 300',
    });
    results.push({ measure: 'navigation → queue painted, worst of 5', value: Math.round(Math.max(...runs)), unit: 'ms', target: '' });
    const inPage = median(bridgeTimes.map((t) => t.painted));
    results.push({ measure: '  the same, measured in the page (the first frame holding the rows; no bench round trips), median', value: Math.round(inPage), unit: 'ms', target: '' });
    results.push({ measure: '  of which navigation → bundle evaluated (DOMContentLoaded), median', value: Math.round(median(evaluated)), unit: 'ms', target: '' });
    const at = (k: keyof (typeof bridgeTimes)[number]) => Math.round(median(bridgeTimes.map((t) => t[k])));
    results.push({ measure: '  first bridge call / tickets.list sent / answered (ms after navigation), medians', value: `${at('firstInvoke')} / ${at('listSent')} / ${at('listAnswered')}`, unit: 'ms', target: '' });
    results.push({ measure: 'reference: bare first page read + same rows in plain DOM → frame, median of 5', value: Math.round(median(bare)), unit: 'ms', target: '' });
    results.push({ measure: 'queue: (painted − bundle evaluated) / bare reference, medians', value: Number(((median(runs) - median(evaluated)) / median(bare)).toFixed(2)), unit: '×', target: '' });

    // Job console: 10,000 lines/s for 10 s as jobs.log events through the real WebSocket bridge.
    await page.evaluate(() => {
      window.__longest = 0;
      window.__longtasks = 0;
      new PerformanceObserver((list: any) => {
        for (const e of list.getEntries()) {
          window.__longtasks++;
          window.__longest = Math.max(window.__longest, e.duration);
        }
      }).observe({ type: 'longtask' });
      location.hash = '#/job/bench-1';
    });
    await page.getByRole('log', { name: 'Job log' }).waitFor();
    await page.waitForTimeout(300);
    // Count only what the feed causes, not the screen's first mount.
    // The Long Tasks API reports only tasks over 50 ms, so the longest gap between animation
    // frames is recorded as well.
    // (A string, so the bundler's function-name helpers do not leak into the page.)
    const startCounters = () =>
      page.evaluate(`(() => {
      window.__stopFrames = true;
      window.__longest = 0;
      window.__longtasks = 0;
      window.__maxFrameGap = 0;
      let last = performance.now();
      const tick = () => {
        const now = performance.now();
        window.__maxFrameGap = Math.max(window.__maxFrameGap, now - last);
        last = now;
        if (!window.__stopFrames) requestAnimationFrame(tick);
      };
      requestAnimationFrame(() => { window.__stopFrames = false; last = performance.now(); requestAnimationFrame(tick); });
    })()`);
    const counters = () =>
      page.evaluate(() => ({ longest: window.__longest as number, count: window.__longtasks as number, gap: window.__maxFrameGap as number }));
    const emit = (host.core as any).emit.bind(host.core) as (event: string, payload: unknown) => void;
    const PER_BATCH = 1000; // 10 batches per second
    const feed10s = async (jobId: string) => {
      let n = 0;
      const started = Date.now();
      for (let b = 0; b < 100; b++) {
        const lines = Array.from({ length: PER_BATCH }, () => {
          n++;
          return {
            seq: n,
            at: Date.now(),
            stream: n % 97 === 0 ? 'err' : 'out',
            line: `step ${n}: copying block ${n * 7} of the database file, ${(n % 1000) / 10}% of the segment done`,
          };
        });
        emit('jobs.log', { subscriptionId: 'bench', jobId, lines, done: false });
        const due = started + (b + 1) * 100;
        await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now())));
      }
      return n;
    };
    // The reference first: a bare append loop over the same events, on the same (idle) console page.
    await installBareConsole(page, 'bare-1');
    await page.evaluate(() => window.gc());
    await startCounters();
    const bareLines = await feed10s('bare-1');
    await page.waitForFunction((n: number) => window.__bareCount === n, bareLines, { timeout: 30_000 });
    const bareLt = await counters();
    await page.evaluate(() => window.__bareStop());
    await page.evaluate(() => window.gc());
    await startCounters();
    const started = Date.now();
    let seq = await feed10s('bench-1');
    await page.waitForFunction(
      (n: number) =>
        document.querySelector('[data-testid="log-count"]')?.textContent?.startsWith(n.toLocaleString()),
      seq,
      { timeout: 30_000 },
    );
    const feedSeconds = (Date.now() - started) / 1000;
    // Responsiveness while following: a click on Pause is handled promptly.
    const clickStart = Date.now();
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByRole('button', { name: 'Resume' }).waitFor();
    const clickMs = Date.now() - clickStart;
    const lt = await counters();
    const consoleLoad = os.loadavg()[0]!;
    await page.evaluate(() => (window.__stopFrames = true));
    results.push({
      measure: `job console: ${seq.toLocaleString()} lines in ${feedSeconds.toFixed(1)} s, longest task (Long Tasks API: > 50 ms only; 0 = none; load ${consoleLoad.toFixed(1)})`,
      value: Math.round(lt.longest),
      unit: 'ms',
      target: '< 50',
    });
    results.push({
      measure: 'job console: longest gap between animation frames during the feed',
      value: Math.round(lt.gap),
      unit: 'ms',
      target: '',
    });
    results.push({
      measure: 'job console: long tasks (> 50 ms) during the feed',
      value: lt.count,
      unit: 'count',
      target: '0',
    });
    results.push({ measure: 'reference: bare append loop, same feed: longest task (> 50 ms only)', value: Math.round(bareLt.longest), unit: 'ms', target: '' });
    results.push({ measure: 'reference: bare append loop: long tasks / longest frame gap', value: `${bareLt.count} / ${Math.round(bareLt.gap)} ms`, unit: '', target: '' });
    results.push({
      measure: 'job console: Pause click → UI updated, after the feed',
      value: clickMs,
      unit: 'ms',
      target: '',
    });

    // Then 1,000,000 lines held: search and scrolling stay responsive.
    for (let b = 0; b < 9; b++) {
      const lines = Array.from({ length: 100_000 }, () => {
        seq++;
        return { seq, at: Date.now(), stream: 'out', line: `bulk ${seq} row copied` };
      });
      emit('jobs.log', { subscriptionId: 'bench', jobId: 'bench-1', lines, done: false });
      await new Promise((r) => setTimeout(r, 300));
    }
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.waitForFunction(
      (n: number) =>
        document.querySelector('[data-testid="log-count"]')?.textContent?.startsWith(n.toLocaleString()),
      seq,
      { timeout: 60_000 },
    );
    await page.evaluate(() => (window.__longest = 0));
    const searchStart = Date.now();
    await page.getByPlaceholder('Search the log').fill('block 7000 ');
    await page.waitForFunction(
      () =>
        /matching/.test(document.querySelector('[data-testid="log-count"]')?.textContent ?? '') &&
        !/searching/.test(document.querySelector('[data-testid="log-count"]')?.textContent ?? ''),
      null,
      { timeout: 30_000, polling: 'raf' },
    );
    results.push({
      measure: `job console: search over ${seq.toLocaleString()} lines → complete (incl. 150 ms debounce)`,
      value: Date.now() - searchStart,
      unit: 'ms',
      target: '',
    });
    await page.getByPlaceholder('Search the log').fill('');
    await page
      .getByRole('log', { name: 'Job log' })
      .evaluate((el: any) => (el.scrollTop = el.scrollHeight / 2));
    await page.waitForTimeout(200);
    results.push({
      measure: 'job console at 1M lines: longest task during search + scroll',
      value: Math.round(await page.evaluate(() => window.__longest)),
      unit: 'ms',
      target: '',
    });
  } finally {
    await browser.close();
    await host.close();
    await backend.stop();
  }
  console.table(results);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
