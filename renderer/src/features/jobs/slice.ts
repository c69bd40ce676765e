import { create } from 'zustand';
import type { Job, JobLogLine } from '../../../../shared/ipc';
import { call, errorMessage } from '../../api';
import { LogBuffer } from '../../lib/log-buffer';

const FINISHED = ['succeeded', 'failed', 'cancelled', 'interrupted'];
export const isFinished = (j: Job | null) => !!j && FINISHED.includes(j.status);

interface ConsoleSlice {
  jobId: string | null;
  job: Job | null;
  /** The log lives outside React state (it can hold millions of lines); `version` says it grew. */
  version: number;
  visibleCount: number;
  follow: boolean;
  paused: boolean;
  query: string;
  /** A search is still scanning older lines. */
  searching: boolean;
  done: boolean;
  error: string | null;
}

export const log = new LogBuffer();
let subscriptionId: string | null = null;
let frame = 0;

/** A console with nothing read yet, following the tail. */
const consoleFor = (jobId: string | null): ConsoleSlice => ({
  jobId,
  job: null,
  version: 0,
  visibleCount: 0,
  follow: true,
  paused: false,
  query: '',
  searching: false,
  done: false,
  error: null,
});

export const useJobConsole = create<ConsoleSlice>(() => consoleFor(null));

/** Coalesces appends into at most one render per animation frame. */
function scheduleRender(): void {
  if (frame || useJobConsole.getState().paused) return;
  const raf =
    typeof requestAnimationFrame === 'function'
      ? requestAnimationFrame
      : (f: () => void) => setTimeout(f, 16);
  frame = raf(() => {
    frame = 0;
    const complete = log.scan();
    useJobConsole.setState((s) => ({
      version: s.version + 1,
      visibleCount: log.visibleCount(),
      searching: !complete,
    }));
    if (!complete) scheduleRender();
  }) as number;
}

/** Appends log lines for the open job (jobs.log events and the initial backlog go through here). */
export function appendLines(jobId: string, lines: readonly JobLogLine[], done = false): void {
  if (useJobConsole.getState().jobId !== jobId) return;
  log.append(lines);
  if (done) useJobConsole.setState({ done: true });
  scheduleRender();
}

export function onJobLog(p: {
  subscriptionId: string;
  jobId: string;
  lines: JobLogLine[];
  done: boolean;
}): void {
  appendLines(p.jobId, p.lines, p.done);
  if (p.done) void refreshJob();
}

export function onJobChanged({ job }: { job: Job }): void {
  if (useJobConsole.getState().jobId === job.id) useJobConsole.setState({ job });
}

export async function openJob(id: string): Promise<void> {
  await closeJob();
  log.clear();
  useJobConsole.setState(consoleFor(id));
  try {
    const job = await call('api.jobs.get', { params: { id } });
    useJobConsole.setState({ job });
    try {
      const sub = await call('jobs.subscribeLog', { id, fromSeq: 0 });
      subscriptionId = sub.subscriptionId;
      appendLines(id, sub.lines, sub.done);
    } catch (e) {
      // The core could not subscribe (e.g. its log route is missing): read the server's log
      // pages instead, until the job ends.
      console.warn('job console: no log subscription, polling the log pages', e);
      void pollLog(id);
    }
  } catch (e) {
    useJobConsole.setState({ error: errorMessage(e) });
  }
}

async function pollLog(id: string): Promise<void> {
  while (useJobConsole.getState().jobId === id) {
    try {
      const page = await call('api.jobs.logs.list', {
        params: { id },
        query: { after: log.lastSeq, limit: 10_000 },
      });
      appendLines(id, page.lines, page.done);
      if (page.done && page.lines.length < 10_000) {
        await refreshJob();
        return;
      }
      if (page.lines.length === 10_000) continue;
    } catch (e) {
      useJobConsole.setState({ error: errorMessage(e) });
      return;
    }
    await new Promise((r) => setTimeout(r, 500));
    if (useJobConsole.getState().jobId === id) await refreshJob();
  }
}

export async function closeJob(): Promise<void> {
  const sub = subscriptionId;
  subscriptionId = null;
  if (sub)
    await call('jobs.unsubscribeLog', { subscriptionId: sub }).catch((e: unknown) =>
      console.warn('job console: unsubscribing from the log failed', e),
    );
}

export async function refreshJob(): Promise<void> {
  const id = useJobConsole.getState().jobId;
  if (!id) return;
  try {
    useJobConsole.setState({ job: await call('api.jobs.get', { params: { id } }) });
  } catch (e) {
    // Keep the last known state; the status bar shows connectivity.
    console.warn('job console: re-reading the job failed', e);
  }
}

export async function cancelJob(id: string): Promise<void> {
  useJobConsole.setState({ job: await call('api.jobs.cancel', { params: { id } }) });
}
/** Runs the job again; a destructive runbook needs its name typed again. Answers the new job's id. */
export async function retryJob(id: string, confirmation?: string): Promise<string> {
  return (
    await call('api.jobs.retry', {
      params: { id },
      body: confirmation === undefined ? {} : { confirmation },
    })
  ).id;
}

export function setFollow(follow: boolean): void {
  useJobConsole.setState({ follow });
}
export function setPaused(paused: boolean): void {
  useJobConsole.setState({ paused });
  if (!paused) scheduleRender();
}
export function setLogQuery(query: string): void {
  log.setQuery(query);
  useJobConsole.setState((s) => ({
    query,
    searching: !log.searchComplete,
    version: s.version + 1,
    visibleCount: log.visibleCount(),
  }));
  scheduleRender();
}

/** For tests and the benchmark: start a console with no server job behind it. */
export function openDetachedConsole(id: string): void {
  log.clear();
  useJobConsole.setState(consoleFor(id));
}
